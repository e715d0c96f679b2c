using System.Net;
using ActorChat.Grains;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;

namespace ActorChat.Silo;

internal static class SiloHosting
{
    public static WebApplicationBuilder AddActorChatSilo(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(SiloOptions.Section).Get<SiloOptions>() ?? new SiloOptions();
        var verdict = new SiloOptionsValidator().Validate(null, options);
        if (verdict.Failed)
        {
            throw new OptionsValidationException(SiloOptions.Section, typeof(SiloOptions), verdict.Failures);
        }

        builder.UseOrleans(silo =>
        {
            var primary = string.IsNullOrEmpty(options.PrimarySiloEndpoint) ? null : IPEndPoint.Parse(options.PrimarySiloEndpoint);
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, primary, options.ServiceId, options.ClusterId);
            silo.AddActorChatGrains(builder.Configuration);
            silo.AddDashboard();
        });
        builder.Services.AddHealthChecks().AddCheck<SiloHealthCheck>("silo", tags: ["ready"]);
        return builder;
    }
}
