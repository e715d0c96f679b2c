using System.Text.Json.Serialization;

namespace ActorChat.FrontEnd.Sse;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(CloseEvent))]
internal sealed partial class SseJson : JsonSerializerContext;
