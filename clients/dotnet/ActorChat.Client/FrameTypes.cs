using System.Text;
using System.Text.Json;

namespace ActorChat.Client;

/// <summary>The <c>type</c>s of the frames the server sends (docs/protocol.md).</summary>
public static class FrameTypes
{
    public const string Welcome = "welcome";
    public const string Ok = "ok";
    public const string Error = "error";
    public const string Message = "message";
    public const string Edited = "edited";
    public const string Deleted = "deleted";
    public const string Reaction = "reaction";
    public const string Moderation = "moderation";
    public const string Settings = "settings";
    public const string Presence = "presence";
    public const string Typing = "typing";
    public const string Read = "read";
    public const string Directory = "directory";
    public const string Invited = "invited";

    private static readonly (byte[] Utf8, string Text)[] Known =
        [.. new[] { Welcome, Ok, Error, Message, Edited, Deleted, Reaction, Moderation, Settings, Presence, Typing, Read, Directory, Invited }
            .Select(type => (Encoding.UTF8.GetBytes(type), type))];

    /// <summary>The string value under the reader as one of the constants above when it is one, so frames of known types allocate no string.</summary>
    internal static string Intern(ref Utf8JsonReader reader)
    {
        foreach (var (utf8, text) in Known)
        {
            if (reader.ValueTextEquals(utf8))
            {
                return text;
            }
        }

        return reader.GetString()!;
    }
}
