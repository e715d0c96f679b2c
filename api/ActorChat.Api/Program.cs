using ActorChat.Api;
using ActorChat.FrontEnd;
using ActorChat.Grains.Hosting;
using ActorChat.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(meters: [FrontEndExtensions.MeterName, .. GrainMeters.Names], sources: [ChatTracing.SourceName]);
builder.AddActorChatOrleans();
builder.AddActorChatFrontEnd();
builder.AddActorChatReadiness();

var app = builder.Build();
app.MapActorChatFrontEnd();
app.MapDefaultEndpoints();
return app.RunOrExit();

/// <summary>Visible to the functional tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;
