using ActorChat.Bench.Load;
using ActorChat.Bench.Servers;

namespace ActorChat.Bench.Scenarios;

/// <summary>
/// Bytes on the wire per delivered message, by script: the same number of characters (<c>--message-size</c>, 100)
/// of English, Chinese and emoji text, each sent <c>--samples</c> times and received by a second socket. Text
/// travels as UTF-8 (1, 3 and 4 bytes a character here); a server that escapes non-ASCII as <c>\uXXXX</c> pays 6
/// bytes per Chinese character and 12 per emoji. Run against an older build with <c>--url</c> for the comparison.
/// </summary>
internal static class FrameBytesScenario
{
    private static readonly (string Script, string Alphabet)[] Scripts =
    [
        ("english", "the quick brown fox jumps over a lazy dog "),
        ("chinese", "轮询与推送实时聊天服务器消息房间用户连接"),
        ("emoji", "😀🎉👍🚀🔥😂"),
    ];

    public static async Task RunAsync(ServerUnderTest server, BenchOptions options, int run, List<Result> results, CancellationToken cancellationToken)
    {
        if (!server.SpeaksActorChat)
        {
            Console.Error.WriteLine($"  frame-bytes: {server.Kind} does not speak ActorChat's protocol; skipped");
            return;
        }

        var room = $"bytes-{run}-{Guid.NewGuid():N}"[..20];
        await using var writer = await server.ConnectAsync($"bytes-writer{run}", cancellationToken);
        await using var reader = await server.ConnectAsync($"bytes-reader{run}", cancellationToken);
        await writer.JoinAsync(room);
        await reader.JoinAsync(room);
        var driver = (SocketDriver)reader;
        double? overhead = null;
        foreach (var (script, alphabet) in Scripts)
        {
            var text = Text(alphabet, options.MessageSize);
            long bytes = 0;
            var frames = 0;
            var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            driver.OnMessageFrame = size =>
            {
                bytes += size;
                if (++frames == options.Samples)
                {
                    all.TrySetResult();
                }
            };
            for (var i = 0; i < options.Samples; i++)
            {
                await writer.SendAsync(room, text);
            }

            await all.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            var perFrame = bytes / (double)frames;

            // What a frame carries besides its text (ids, seq, times), from the English one: one byte a character.
            overhead ??= perFrame - System.Text.Encoding.UTF8.GetByteCount(text);
            var perCharacter = (perFrame - overhead.Value) / options.MessageSize;
            Console.Error.WriteLine($"  {server.Kind}: {options.MessageSize} characters of {script} -> {perFrame:0} bytes per delivered frame, {perCharacter:0.0} per character");
            results.Add(new Result("frame-bytes", server.Kind, run, $"bytes per delivered {script} message", perFrame, "B"));
            results.Add(new Result("frame-bytes", server.Kind, run, $"bytes per {script} character", perCharacter, "B"));
        }

        driver.OnMessageFrame = null;
    }

    private static string Text(string alphabet, int characters)
    {
        var elements = System.Globalization.StringInfo.GetTextElementEnumerator(alphabet);
        var pieces = new List<string>();
        while (elements.MoveNext())
        {
            pieces.Add(elements.GetTextElement());
        }

        var text = new System.Text.StringBuilder();
        for (var i = 0; i < characters; i++)
        {
            text.Append(pieces[i % pieces.Count]);
        }

        return text.ToString();
    }
}
