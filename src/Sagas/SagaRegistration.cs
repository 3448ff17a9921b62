using BacBos.Platform.Sagas;
using BacBos.Sagas.Activation;
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

    /// <summary>Services the activation saga needs (options, clock, document store, deadline watchdog).</summary>
    public static IServiceCollection AddActivationSagaServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection(ActivationOptions.Section).Get<ActivationOptions>() ?? new ActivationOptions());
        services.TryAddSingleton(TimeProvider.System);
        services.AddActivationSagaStore();
        services.AddHostedService<ActivationDeadlineWatchdog>();
        return services;
    }

    /// <summary>Registers the activation state machine on the bus with the SQL saga repository.</summary>
    public static void AddActivationSaga(this IBusRegistrationConfigurator bus) =>
        bus.AddSagaStateMachine<ActivationStateMachine, ActivationState, ActivationStateDefinition>().SqlRepository();
}
