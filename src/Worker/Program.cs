using BacBos.Consumers;
using BacBos.Consumers.Crm;
using BacBos.Consumers.Crm.Kafka;
using BacBos.Platform;
using BacBos.Platform.Hosting;
using BacBos.Platform.Messaging;
using BacBos.Sagas;

// The worker: sagas, step consumers and the deadline watchdog; HTTP only for health and metrics.
var builder = WebApplication.CreateBuilder(args);
builder.AddBacBosObservability("bacbos-worker");
builder.Services
    .AddBacBosPlatform(builder.Configuration)
    .AddActivationSagaServices(builder.Configuration)
    .AddActivationConsumerServices(builder.Configuration)
    .AddCrmKafka(builder.Configuration)
    .AddCrmServices(builder.Configuration)
    // [payments: services]
    // [invoicing: services]
    .AddInvoicingServices(builder.Configuration)
    // [documents: services]
    // [exports: services]
    .AddBacBosBus(builder.Configuration, bus =>
    {
        bus.AddActivationSaga();
        bus.AddActivationConsumers();
        bus.AddCrmKafkaBridge(builder.Configuration);
        bus.AddCrmConsumers(builder.Configuration);
        // [payments: consumers]
        // [invoicing: consumers]
        bus.AddInvoicingConsumers(builder.Configuration);
        // [documents: consumers]
        // [exports: consumers]
    });

var app = builder.Build();
app.MapBacBosOperationalEndpoints();
app.Run();
