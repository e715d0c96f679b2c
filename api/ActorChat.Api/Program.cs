using ActorChat.Api;
using ActorChat.FrontEnd;
using ActorChat.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddActorChatOrleans();
builder.AddActorChatFrontEnd();
builder.AddActorChatTelemetry(meters: [FrontEndExtensions.MeterName], sources: [ChatTracing.SourceName]);
builder.AddActorChatManagement();

var app = builder.Build();
app.MapActorChatFrontEnd();
app.MapActorChatTelemetry();
app.MapActorChatDashboard();
return app.RunOrExit();

/// <summary>Visible to the functional tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;
