using Microsoft.Extensions.Options;

namespace ActorChat.FrontEnd.Auth;

/// <summary>Refuses a configured signing key that <see cref="SigningKeyPolicy"/> refuses, when the server starts.</summary>
internal sealed class SigningKeyValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options) =>
        string.IsNullOrEmpty(options.SigningKey) || SigningKeyPolicy.Refusal(options.SigningKey) is not { } reason
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(reason);
}
