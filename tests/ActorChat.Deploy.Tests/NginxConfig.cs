using System.Text.RegularExpressions;

namespace ActorChat.Deploy.Tests;

/// <summary>
/// Just enough of an nginx configuration to say how a request's access-log line would look: its
/// <c>location</c> blocks (chosen as nginx chooses them), their <c>access_log</c> and the <c>log_format</c>s.
/// It reads the shapes ActorChat's files use (one server, locations without nested blocks).
/// </summary>
internal sealed partial class NginxConfig
{
    // nginx's built-in format, used by an access_log that names none.
    private const string Combined = "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\"";

    private readonly Dictionary<string, string> _formats = new(StringComparer.Ordinal) { ["combined"] = Combined };
    private readonly List<Location> _locations = [];
    private readonly string? _defaultFormat;

    public NginxConfig(string text)
    {
        text = CommentPattern().Replace(text, string.Empty);
        foreach (Match format in LogFormatPattern().Matches(text))
        {
            _formats[format.Groups["name"].Value] = string.Concat(format.Groups["part"].Captures.Select(c => c.Value));
        }

        foreach (Match location in LocationPattern().Matches(text))
        {
            var log = AccessLogPattern().Match(location.Groups["body"].Value);
            _locations.Add(new Location(location.Groups["modifier"].Value, location.Groups["pattern"].Value, log.Success ? Format(log) : null));
        }

        // An access_log outside every location (http or server level) is what the others inherit.
        var outside = LocationPattern().Replace(text, string.Empty);
        var inherited = AccessLogPattern().Match(outside);
        _defaultFormat = inherited.Success ? Format(inherited) : Combined;
    }

    /// <summary>
    /// The log format of a request for <paramref name="path"/> (the URI without its query), null when it is not
    /// logged: an exact match first, then the first regular expression that matches in file order, else the
    /// longest prefix.
    /// </summary>
    public string? FormatFor(string path)
    {
        var location = _locations.FirstOrDefault(l => l.Modifier == "=" && l.Pattern == path)
            ?? _locations.FirstOrDefault(l => l.Modifier.StartsWith('~') && Regex.IsMatch(path, l.Pattern, l.Modifier == "~*" ? RegexOptions.IgnoreCase : RegexOptions.None))
            ?? _locations.Where(l => l.Modifier.Length == 0 && path.StartsWith(l.Pattern, StringComparison.Ordinal)).MaxBy(l => l.Pattern.Length)
            ?? throw new InvalidOperationException($"No location serves {path}.");
        return location.Format ?? _defaultFormat;
    }

    /// <summary>Whether a log line in <paramref name="format"/> would hold the query string.</summary>
    public static bool LogsQuery(string format) => QueryVariablePattern().IsMatch(format);

    private string? Format(Match accessLog) =>
        accessLog.Groups["path"].Value == "off" ? null
        : accessLog.Groups["format"].Success ? _formats[accessLog.Groups["format"].Value]
        : Combined;

    [GeneratedRegex(@"#[^\n]*")]
    private static partial Regex CommentPattern();

    [GeneratedRegex(@"log_format\s+(?<name>\w+)\s+(?:'(?<part>[^']*)'\s*)+;")]
    private static partial Regex LogFormatPattern();

    [GeneratedRegex(@"location\s+(?<modifier>=|~\*|~|\^~)?\s*(?<pattern>[^\s{]+)\s*\{(?<body>[^{}]*)\}")]
    private static partial Regex LocationPattern();

    [GeneratedRegex(@"(?<![\w_])access_log\s+(?<path>[^\s;]+)(?:\s+(?<format>\w+))?[^;]*;")]
    private static partial Regex AccessLogPattern();

    // $request is the whole request line; $request_uri, $args, $query_string, $is_args and $arg_* are the query or
    // carry it. ($request_method, $request_time and the like do not.)
    [GeneratedRegex(@"\$(?:request|request_uri|args|query_string|is_args)\b|\$arg_")]
    private static partial Regex QueryVariablePattern();

    private sealed record Location(string Modifier, string Pattern, string? Format);
}
