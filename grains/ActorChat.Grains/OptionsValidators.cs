using Microsoft.Extensions.Options;

namespace ActorChat.Grains;

[OptionsValidator]
internal sealed partial class RoomOptionsValidator : IValidateOptions<RoomOptions>;

[OptionsValidator]
internal sealed partial class ChatStreamOptionsValidator : IValidateOptions<ChatStreamOptions>;
