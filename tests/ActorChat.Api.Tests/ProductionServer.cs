using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;

namespace ActorChat.Api.Tests;

/// <summary>
/// A server in the Production environment, as every deployment runs (the test factory otherwise gives
/// Development), with some settings on top of the test settings.
/// </summary>
public class ProductionServer : ChatServer
{
    public ProductionServer()
        : this(new Dictionary<string, string>())
    {
    }

    protected ProductionServer(IReadOnlyDictionary<string, string> overrides)
        : base(overrides)
    {
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment(Environments.Production);
    }
}
