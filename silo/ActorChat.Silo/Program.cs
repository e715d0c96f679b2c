using ActorChat.ServiceDefaults;
using ActorChat.Silo;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(meters: [], sources: []);
builder.AddActorChatSilo();

var app = builder.Build();
app.MapDefaultEndpoints();
return app.RunOrExit();
