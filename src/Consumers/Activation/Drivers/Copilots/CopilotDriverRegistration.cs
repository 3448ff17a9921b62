using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace BacBos.Consumers.Activation.Drivers.Copilots;

/// <summary>Registers the step 10 copilot driver: always the database-backed store, plus the LLM smoke call when <c>Drivers:Llm:Endpoint</c> is set.</summary>
public static class CopilotDriverRegistration
{
    public static IServiceCollection AddCopilotDrivers(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(LlmOptions.Section).Get<LlmOptions>() ?? new LlmOptions();
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CopilotConfigStore>();
        if (options.IsConfigured)
        {
            services.AddSingleton(_ => new LlmSmokeClient(options));
        }

        services.AddSingleton<ICopilotDriver>(sp => new CopilotConfigDriver(
            sp.GetRequiredService<CopilotConfigStore>(),
            options,
            sp.GetRequiredService<ILogger<CopilotConfigDriver>>(),
            sp.GetService<LlmSmokeClient>()));
        return services;
    }
}
