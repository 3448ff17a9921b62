using BacBos.Consumers;
using BacBos.Consumers.Crm;
using BacBos.Consumers.Crm.Kafka;
using BacBos.Consumers.Documents;
using BacBos.Consumers.Documents.Exports;
using BacBos.Consumers.Payments;
using BacBos.Platform;
using BacBos.Platform.Hosting;
using BacBos.Platform.Messaging;
using BacBos.Sagas;
using BacBos.Sagas.Documents;

// The worker: sagas, step consumers and the deadline watchdog; HTTP only for health and metrics.
var builder = WebApplication.CreateBuilder(args);
builder.AddBacBosObservability("bacbos-worker");
builder.Services
    .AddBacBosPlatform(builder.Configuration)
    .AddActivationSagaServices(builder.Configuration)
    .AddActivationConsumerServices(builder.Configuration)
    .AddCrmKafka(builder.Configuration)
    .AddCrmServices(builder.Configuration)
    .AddPaymentServices(builder.Configuration)
    .AddPaymentSagaServices(builder.Configuration)
    .AddInvoicingServices(builder.Configuration)
    .AddDocumentServices(builder.Configuration)
    .AddDocumentExportServices(builder.Configuration)
    .AddDocumentExportSagaStore()
    .AddBacBosBus(builder.Configuration, bus =>
    {
        bus.AddActivationSaga();
        bus.AddActivationConsumers();
        bus.AddCrmKafkaBridge(builder.Configuration);
        bus.AddCrmConsumers(builder.Configuration);
        bus.AddPaymentSaga();
        bus.AddPaymentConsumers(builder.Configuration);
        bus.AddInvoicingConsumers(builder.Configuration);
        bus.AddDocumentExportSaga();
        bus.AddDocumentExportConsumers();
    });

var app = builder.Build();
app.MapBacBosOperationalEndpoints();
app.Run();
