using BacBos.Platform.Messaging;
using BacBos.Platform.Sagas;
using BacBos.Sagas.Activation;
using BacBos.Sagas.Payments;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BacBos.Sagas;

/// <summary>Composition of the state machines.</summary>
public static class SagaRegistration
{
    /// <summary>Read access to activation state for processes that do not run the saga (the gateway's progress API).</summary>
    public static IServiceCollection AddActivationSagaStore(this IServiceCollection services)
    {
        services.TryAddSingleton<SagaDocumentStore<ActivationState>>();
        return services;
    }

    /// <summary>
    /// Services the activation saga needs (options, clock, document store). Step deadlines are scheduled messages
    /// (durable in the Quartz job store). With the in-memory transport of the embedded default a crash also loses
    /// messages already handed to the transport — a step command and the ScheduleMessage of its deadline alike — so
    /// there the deadline watchdog sweeps the saga table as a backstop.
    /// </summary>
    public static IServiceCollection AddActivationSagaServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection(ActivationOptions.Section).Get<ActivationOptions>() ?? new ActivationOptions());
        services.TryAddSingleton(TimeProvider.System);
        services.AddActivationSagaStore();
        var bus = configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions();
        if (bus.Transport == BusTransport.InMemory)
        {
            services.AddHostedService<ActivationDeadlineWatchdog>();
        }

        return services;
    }

    /// <summary>Registers the activation state machine on the bus with the SQL saga repository.</summary>
    public static void AddActivationSaga(this IBusRegistrationConfigurator bus) =>
        bus.AddSagaStateMachine<ActivationStateMachine, ActivationState, ActivationStateDefinition>().SqlRepository();

    /// <summary>Options and clock of the payment saga (confirmation deadline, verifications).</summary>
    public static IServiceCollection AddPaymentSagaServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(configuration.GetSection(PaymentSagaOptions.Section).Get<PaymentSagaOptions>() ?? new PaymentSagaOptions());
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>Registers the payment state machine on the bus with the SQL saga repository.</summary>
    public static void AddPaymentSaga(this IBusRegistrationConfigurator bus) =>
        bus.AddSagaStateMachine<PaymentStateMachine, PaymentState, PaymentStateDefinition>().SqlRepository();
}
