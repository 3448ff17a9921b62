using BacBos.Gateway;
using BacBos.Platform;
using BacBos.Platform.Hosting;

// The gateway. With the default configuration it also hosts the worker (in-memory bus, SQLite under ./data):
// `dotnet run --project src/Gateway` is the whole system. See README "Modes and configuration".
var builder = WebApplication.CreateBuilder(args);
builder.AddBacBosObservability("bacbos-gateway");
builder.Services.AddBacBosPlatform(builder.Configuration);
builder.AddGateway();

var app = builder.Build();
app.UseGateway();
app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in the HTTP tests.</summary>
public partial class Program;
