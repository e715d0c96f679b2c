using Microsoft.Extensions.Options;

namespace ActorChat.Contracts;

[OptionsValidator]
public sealed partial class ChatLimitsValidator : IValidateOptions<ChatLimits>;
