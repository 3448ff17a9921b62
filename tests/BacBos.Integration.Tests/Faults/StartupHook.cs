using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.DependencyInjection;

// Fault injection into a separately started worker process (DOTNET_STARTUP_HOOKS=<this test assembly>). The hosts are
// separate OS processes, so a test cannot hand them a driver object; this hook runs inside the worker before its Main,
// waits for the host to be built (the "HostBuilding" diagnostic event that WebApplicationFactory also uses) and then
// replaces IDnsTlsDriver with a proxy that fails, and optionally shortens the bus retry/redelivery intervals.
// It touches only BCL and Microsoft.Extensions types (everything BacBos is found by name), so loading this assembly
// into the worker needs none of the test-only dependencies. Environment variables (all optional):
//   BACBOS_FAULTS_DNS_FAILURES  number of ApplyAsync calls that throw before the real driver answers; -1 = always
//   BACBOS_FAULTS_DNS_HANGS     number of ApplyAsync calls (counted before the failures) that never answer until cancelled
//   BACBOS_FAULTS_LOG           file that gets one line per ApplyAsync call: "<n> <utc ticks> <failed|passed>"
//   BACBOS_FAULTS_RETRY_MS      comma list replacing Bus:RetryIntervalsMs ("none" = no immediate retry)
//   BACBOS_FAULTS_REDELIVERY_MS comma list replacing Bus:RedeliveryIntervalsMs

/// <summary>The startup hook entry point (the runtime requires this exact global type name and method).</summary>
internal static class StartupHook
{
    public static void Initialize() => DiagnosticListener.AllListeners.Subscribe(new BacBos.Integration.Tests.Faults.HostBuildingObserver());
}

namespace BacBos.Integration.Tests.Faults
{
    internal sealed class HostBuildingObserver : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
    {
        private int _applied;

        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == "Microsoft.Extensions.Hosting")
            {
                value.Subscribe(this);
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key != "HostBuilding" || value.Value is null || Interlocked.Exchange(ref _applied, 1) == 1)
            {
                return;
            }

            // The value is an IHostBuilder (an adapter over the HostApplicationBuilder); its ConfigureServices
            // callbacks run right after this event, before the service provider is built.
            ((Microsoft.Extensions.Hosting.IHostBuilder)value.Value).ConfigureServices((_, services) => Apply(services));
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        private static void Apply(IServiceCollection services)
        {
            var failures = Environment.GetEnvironmentVariable("BACBOS_FAULTS_DNS_FAILURES");
            if (!string.IsNullOrEmpty(failures))
            {
                var existing = services.Single(d => d.ServiceType.FullName == "BacBos.Consumers.Activation.Drivers.IDnsTlsDriver");
                var inner = Activator.CreateInstance(existing.ImplementationType!)!;
                var proxy = DispatchProxy.Create(existing.ServiceType, typeof(FailingDriverProxy));
                var hangs = Environment.GetEnvironmentVariable("BACBOS_FAULTS_DNS_HANGS");
                ((FailingDriverProxy)proxy).Setup(
                    inner,
                    int.Parse(failures, CultureInfo.InvariantCulture),
                    string.IsNullOrEmpty(hangs) ? 0 : int.Parse(hangs, CultureInfo.InvariantCulture),
                    Environment.GetEnvironmentVariable("BACBOS_FAULTS_LOG"));
                services.Remove(existing);
                services.Add(ServiceDescriptor.Singleton(existing.ServiceType, proxy));
                Console.WriteLine($"[fault-injection] IDnsTlsDriver replaced: failing {failures} call(s)");
            }

            var bus = services.FirstOrDefault(d => d.ServiceType.FullName == "BacBos.Platform.Messaging.BusOptions" && d.ImplementationInstance is not null)?.ImplementationInstance;
            SetIntervals(bus, "RetryIntervalsMs", Environment.GetEnvironmentVariable("BACBOS_FAULTS_RETRY_MS"));
            SetIntervals(bus, "RedeliveryIntervalsMs", Environment.GetEnvironmentVariable("BACBOS_FAULTS_REDELIVERY_MS"));
        }

        /// <summary>
        /// The bus registration captured this very options instance for its endpoint policy, which runs when the bus
        /// is created (after the host is built), so changing it here changes the policy and the consumers' view of it.
        /// </summary>
        private static void SetIntervals(object? busOptions, string property, string? value)
        {
            if (value is null)
            {
                return;
            }

            if (busOptions is null)
            {
                throw new InvalidOperationException("fault injection: the BusOptions instance is not registered");
            }

            var intervals = value == "none" ? [] : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(v => int.Parse(v, CultureInfo.InvariantCulture))
                .ToArray();
            busOptions.GetType().GetProperty(property)!.SetValue(busOptions, intervals);
            Console.WriteLine($"[fault-injection] Bus:{property} = [{string.Join(",", intervals)}]");
        }
    }

    /// <summary>
    /// A provisioning driver whose first H ApplyAsync calls never answer (until cancelled), whose next N calls throw
    /// (or all calls, N = -1), and which then delegates.
    /// </summary>
    public class FailingDriverProxy : DispatchProxy
    {
        private readonly object _gate = new();
        private object _inner = null!;
        private int _failures;
        private int _hangs;
        private string? _log;
        private int _calls;

        internal void Setup(object inner, int failures, int hangs, string? log)
        {
            _inner = inner;
            _failures = failures;
            _hangs = hangs;
            _log = log;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.Name == "ApplyAsync")
            {
                int call;
                bool hang;
                bool fail;
                lock (_gate)
                {
                    call = ++_calls;
                    hang = call <= _hangs;
                    fail = !hang && (_failures < 0 || call - _hangs <= _failures);
                    if (_log is not null)
                    {
                        File.AppendAllText(_log, $"{call} {DateTime.UtcNow.Ticks} {(hang ? "hung" : fail ? "failed" : "passed")}{Environment.NewLine}");
                    }
                }

                if (hang)
                {
                    var cancellation = args?.OfType<CancellationToken>().FirstOrDefault() ?? CancellationToken.None;
                    return typeof(FailingDriverProxy).GetMethod(nameof(NeverAnswer), BindingFlags.NonPublic | BindingFlags.Static)!
                        .MakeGenericMethod(targetMethod.ReturnType.GetGenericArguments()[0])
                        .Invoke(null, [cancellation]);
                }

                if (fail)
                {
                    throw new InvalidOperationException($"injected fault: dns-tls driver call {call} failed");
                }
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                throw;
            }
        }

        /// <summary>A task that completes only when the consumer's cancellation token fires (the worker stops).</summary>
        private static Task<T> NeverAnswer<T>(CancellationToken cancellation)
        {
            var pending = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            cancellation.Register(() => pending.TrySetCanceled(cancellation));
            return pending.Task;
        }
    }
}
