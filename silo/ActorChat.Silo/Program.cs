using ActorChat.Hosting;
using ActorChat.Silo;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

var builder = WebApplication.CreateBuilder(args);
builder.AddActorChatSilo();
builder.AddActorChatTelemetry(meters: [], sources: []);
builder.AddActorChatManagement();

var app = builder.Build();
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
app.MapActorChatDashboard();
app.MapActorChatTelemetry();
return app.RunOrExit();
