using BacBos.Benchmarks.Infrastructure;

namespace BacBos.Benchmarks.Servers;

/// <summary>
/// nginx (Debian's package) as a reverse proxy on a loopback port with our own configuration in a temp folder —
/// never the system service. <c>/ops/rabbitmq/…</c> is proxied to the backend with the prefix removed, over pooled
/// keep-alive upstream connections, like the gateway's YARP route.
/// </summary>
public static class Nginx
{
    public static string? Find() => BenchEnvironment.FindExecutable("nginx");

    public static async Task<ChildProcess> StartAsync(string nginx, int port, int backendPort, string directory, string logDirectory)
    {
        Directory.CreateDirectory(directory);
        var config = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(config, $$"""
            daemon off;
            master_process on;
            worker_processes auto;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;
            events { worker_connections 4096; }
            http {
                access_log off;
                client_body_temp_path {{directory}}/client_body;
                proxy_temp_path {{directory}}/proxy;
                fastcgi_temp_path {{directory}}/fastcgi;
                uwsgi_temp_path {{directory}}/uwsgi;
                scgi_temp_path {{directory}}/scgi;
                upstream bench_backend {
                    server 127.0.0.1:{{backendPort}};
                    keepalive 64;
                }
                server {
                    listen 127.0.0.1:{{port}};
                    location /ops/rabbitmq/ {
                        proxy_pass http://bench_backend/;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_set_header Host $host;
                    }
                }
            }
            """);
        var process = ChildProcess.Start(
            "nginx",
            nginx,
            ["-e", Path.Combine(directory, "error.log"), "-p", directory, "-c", config],
            new Dictionary<string, string>(),
            directory,
            logDirectory);
        await process.WaitForPortAsync(port, TimeSpan.FromSeconds(20));
        return process;
    }

    public static async Task<string> VersionAsync(string nginx)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(nginx, "-v")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var text = (await process.StandardError.ReadToEndAsync()) + await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return text.Trim().Replace("nginx version: ", string.Empty, StringComparison.Ordinal);
    }
}
