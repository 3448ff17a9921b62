using System.Net;
using System.Net.Sockets;
using BacBos.Integration.Tests.Infrastructure;

namespace BacBos.Integration.Tests.Invoicing;

/// <summary>
/// The SMTP server as a process sees it through an outage: a local port that refuses connections (nothing listens)
/// until <see cref="Open"/>, then relays every connection byte for byte to the test SMTP server (aiosmtpd).
/// </summary>
public sealed class SmtpRelay : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private TcpListener? _listener;
    private Task _accepting = Task.CompletedTask;

    /// <summary>The relay's port: refused until opened.</summary>
    public int Port { get; } = ClosedPort();

    /// <summary>A local port nothing listens on (bound and released at once): connecting is refused.</summary>
    public static int ClosedPort() => HostProcess.FreePort();

    /// <summary>SMTP is back: the port listens and relays.</summary>
    public void Open()
    {
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _accepting = AcceptAsync(_listener);
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        var upstream = TestEnvironment.Smtp.Split(':');
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using (client)
                using (var server = new TcpClient())
                {
                    try
                    {
                        await server.ConnectAsync(upstream[0], int.Parse(upstream[1], System.Globalization.CultureInfo.InvariantCulture), _stop.Token);
                        await using var near = client.GetStream();
                        await using var far = server.GetStream();
                        await Task.WhenAny(near.CopyToAsync(far, _stop.Token), far.CopyToAsync(near, _stop.Token));
                    }
                    catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
                    {
                        // The connection ends with either side; the client sees it closed.
                    }
                }
            });
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener?.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
