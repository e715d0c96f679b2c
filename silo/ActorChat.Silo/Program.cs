using ActorChat.Grains.Hosting;
using ActorChat.ServiceDefaults;
using ActorChat.Silo;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(meters: [.. GrainMeters.Names], sources: []);
builder.AddActorChatSilo();

var app = builder.Build();
app.MapDefaultEndpoints();
return app.RunOrExit();
