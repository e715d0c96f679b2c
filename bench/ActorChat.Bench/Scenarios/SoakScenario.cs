using System.Globalization;
using System.Text;
using ActorChat.Bench.Load;
using ActorChat.Bench.Servers;

namespace ActorChat.Bench.Scenarios;

/// <summary>
/// Churn for <c>--seconds</c> (1200): <c>--clients</c> users, together <c>--rate</c> cycles per second, each cycle
/// connecting (token, ticket, socket), joining its room with <c>since</c> (the last seq it saw), sending, reading,
/// leaving one time in four (unless it owns the room) and disconnecting. Every minute the server's resident memory and
/// managed heap are sampled, then a full collection is induced and the live heap read (the heap at the last
/// collection counts garbage in gen 2 until that is next collected); what counts is growth after the first five
/// minutes (warm-up, caches filling).
/// </summary>
internal static class SoakScenario
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMinutes(1);

    public static async Task RunAsync(ServerUnderTest server, BenchOptions options, int run, List<Result> results, CancellationToken cancellationToken)
    {
        if (!server.SpeaksActorChat)
        {
            throw new ArgumentException("soak drives ActorChat's protocol (join with since, read, leave): run it with actorchat servers only.");
        }

        await using var progress = new Progress($"soak {server.Kind}");
        var duration = TimeSpan.FromSeconds(options.Seconds);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(duration);
        var pacer = new Pacer(options.Rate);
        long cycles = 0, failures = 0, received = 0;
        var samples = new List<Sample>();
        var started = Clock.Now;

        async Task SampleAsync()
        {
            var minute = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMinutes;
            // Resident memory and the heap as the last collection left it first; then a full collection, for what is alive.
            var resident = server.ResidentBytes() / 1048576.0;
            var heap = await server.ManagedHeapBytesAsync() / 1048576.0;
            var live = await server.LiveHeapBytesAsync(cancellationToken) / 1048576.0;
            samples.Add(new Sample(minute, resident, heap, live));
            Console.Error.WriteLine($"  soak {minute:0.0} min: {resident:0.0} MiB resident, {heap:0.0} MiB heap, {live:0.0} MiB live heap, {Interlocked.Read(ref cycles)} cycles, {Interlocked.Read(ref failures)} failed");
        }

        async Task SamplerAsync()
        {
            using var timer = new PeriodicTimer(SampleEvery);
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token))
                {
                    await SampleAsync();
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        async Task UserAsync(int user)
        {
            var name = $"soak{run}-{user}";
            var room = $"soak-{user % Math.Max(1, options.Rooms)}";
            long since = 0;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await pacer.NextAsync(stop.Token);
                    await using var socket = (SocketDriver)await server.ConnectAsync(name, stop.Token);
                    socket.OnMessage = _ => Interlocked.Increment(ref received);
                    var joined = await socket.CallAsync(new() { ["type"] = "join", ["room"] = room, ["since"] = since });
                    var sent = await socket.CallAsync(new() { ["type"] = "send", ["room"] = room, ["text"] = Clock.Stamp(options.MessageSize) });
                    since = sent.GetProperty("seq").GetInt64();
                    await socket.CallAsync(new() { ["type"] = "read", ["room"] = room, ["seq"] = since });
                    // A room keeps its owner (the last one cannot leave): the others come and go.
                    if (Random.Shared.Next(4) == 0 && joined.GetProperty("role").GetString() != "owner")
                    {
                        await socket.CallAsync(new() { ["type"] = "leave", ["room"] = room });
                    }

                    Interlocked.Increment(ref cycles);
                    progress.Connected();
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    if (Interlocked.Increment(ref failures) <= 5)
                    {
                        Console.Error.WriteLine($"  soak cycle failed: {ex.GetType().Name}: {ex.Message}");
                    }
                }
            }
        }

        await SampleAsync();
        var sampler = SamplerAsync();
        await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(UserAsync));
        await sampler;
        await SampleAsync();

        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        results.Add(new Result("soak", server.Kind, run, "churn cycles", cycles / seconds, "cycle/s"));
        results.Add(new Result("soak", server.Kind, run, "failed cycles", failures, "cycles"));
        results.Add(new Result("soak", server.Kind, run, "messages received", received / seconds, "msg/s"));
        foreach (var (minute, resident, heap, live) in samples)
        {
            results.Add(new Result("soak", server.Kind, run, $"resident memory at {minute:0.0} min", resident, "MiB"));
            results.Add(new Result("soak", server.Kind, run, $"managed heap at {minute:0.0} min", heap, "MiB"));
            results.Add(new Result("soak", server.Kind, run, $"live heap at {minute:0.0} min", live, "MiB"));
        }

        // Growth after warm-up: the last sample against the first one taken at five minutes or later.
        var settled = samples.FirstOrDefault(s => s.Minute >= 4.9);
        if (settled is not null && samples[^1].Minute > settled.Minute)
        {
            results.Add(new Result("soak", server.Kind, run, "resident growth after 5 min", (samples[^1].ResidentMiB / settled.ResidentMiB - 1) * 100, "%"));
            results.Add(new Result("soak", server.Kind, run, "heap growth after 5 min", (samples[^1].HeapMiB / settled.HeapMiB - 1) * 100, "%"));
            results.Add(new Result("soak", server.Kind, run, "live heap growth after 5 min", (samples[^1].LiveMiB / settled.LiveMiB - 1) * 100, "%"));
        }

        if (options.PlotPath is not null)
        {
            await File.WriteAllTextAsync(options.PlotPath, Plot(samples, $"soak: {server.Kind}, {options.Clients} users, {options.Rate} cycles/s"), cancellationToken);
        }
    }

    /// <summary>An SVG line chart of resident memory, the managed heap at the last collection and the live heap against minutes.</summary>
    private static string Plot(IReadOnlyList<Sample> samples, string title)
    {
        const int Width = 720, Height = 360, Left = 60, Right = 20, Top = 40, Bottom = 50;
        var maxMinute = Math.Max(1, samples.Max(s => s.Minute));
        var maxValue = Math.Max(1, samples.Max(s => Math.Max(s.ResidentMiB, s.HeapMiB))) * 1.1;
        string X(double minute) => (Left + (minute / maxMinute * (Width - Left - Right))).ToString("0.0", CultureInfo.InvariantCulture);
        string Y(double value) => (Top + ((1 - (value / maxValue)) * (Height - Top - Bottom))).ToString("0.0", CultureInfo.InvariantCulture);
        string Line(Func<Sample, double> value) =>
            string.Join(' ', samples.Select(s => $"{X(s.Minute)},{Y(value(s))}"));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/><text x=\"{Left}\" y=\"22\" font-size=\"14\">{title}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"black\"/><line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>");
        for (var i = 0; i <= 4; i++)
        {
            var value = maxValue * i / 4;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 8}\" y=\"{Y(value)}\" text-anchor=\"end\">{value:0}</text>");
            var minute = maxMinute * i / 4;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(minute)}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\">{minute:0}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(Width + Left) / 2}\" y=\"{Height - 10}\" text-anchor=\"middle\">minutes</text><text x=\"14\" y=\"{Top - 8}\">MiB</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{X(5)}\" y1=\"{Top}\" x2=\"{X(5)}\" y2=\"{Height - Bottom}\" stroke=\"#999\" stroke-dasharray=\"4 4\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"{Line(s => s.ResidentMiB)}\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"#d62728\" stroke-width=\"2\" points=\"{Line(s => s.HeapMiB)}\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"#2ca02c\" stroke-width=\"2\" points=\"{Line(s => s.LiveMiB)}\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right - 160}\" y=\"{Top + 14}\" fill=\"#1f77b4\">resident memory</text><text x=\"{Width - Right - 160}\" y=\"{Top + 30}\" fill=\"#d62728\">managed heap (last GC)</text><text x=\"{Width - Right - 160}\" y=\"{Top + 46}\" fill=\"#2ca02c\">live heap (full GC)</text>");
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private sealed record Sample(double Minute, double ResidentMiB, double HeapMiB, double LiveMiB);

    /// <summary>Hands out starts at a steady rate to however many users ask.</summary>
    private sealed class Pacer(double perSecond)
    {
        private readonly Lock _lock = new();
        private readonly TimeSpan _gap = TimeSpan.FromSeconds(1 / Math.Max(0.001, perSecond));
        private long _next = Clock.Now;

        public Task NextAsync(CancellationToken cancellationToken)
        {
            long at;
            lock (_lock)
            {
                var now = Clock.Now;
                _next = Math.Max(_next, now - (long)(_gap.TotalSeconds * System.Diagnostics.Stopwatch.Frequency));
                _next += (long)(_gap.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
                at = _next;
            }

            var wait = at - Clock.Now;
            return wait <= 0 ? Task.CompletedTask : Task.Delay(TimeSpan.FromSeconds((double)wait / System.Diagnostics.Stopwatch.Frequency), cancellationToken);
        }
    }
}
