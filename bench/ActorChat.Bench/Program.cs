using ActorChat.Bench;
using ActorChat.Bench.Baselines;
using ActorChat.Bench.Scenarios;
using ActorChat.Bench.Servers;

// Baseline servers run as child processes of this same tool.
if (args.Length >= 3 && args[0] is "serve-raw" or "serve-signalr")
{
    var port = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
    await (args[0] == "serve-raw" ? RawServer.RunAsync(port) : SignalRServer.RunAsync(port));
    return 0;
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

Func<ServerUnderTest, BenchOptions, int, List<Result>, CancellationToken, Task> scenario = options.Scenario switch
{
    "fanout" => FanoutScenario.RunAsync,
    "rooms" => RoomsScenario.RunAsync,
    "idle" => IdleScenario.RunAsync,
    "poll-vs-push" => PollVsPushScenario.RunAsync,
    "history-depth" => HistoryDepthScenario.RunAsync,
    "big-room" => BigRoomScenario.RunAsync,
    "member-depth" => MemberDepthScenario.RunAsync,
    "user-rooms" => UserRoomsScenario.RunAsync,
    "erase" => EraseScenario.RunAsync,
    "soak" => SoakScenario.RunAsync,
    "frame-bytes" => FrameBytesScenario.RunAsync,
    "stalled-reader" => StalledReaderScenario.RunAsync,
    _ => throw new ArgumentException($"Unknown scenario '{options.Scenario}'."),
};

if (options.Pin is { } pin)
{
    // Every thread of this process, and those it starts later, on the load generator's CPUs.
    Pinning.Pin(Environment.ProcessId, pin.Load);
    Console.Error.WriteLine($"pinned: servers on CPUs {pin.Server} (a cluster's silo on {pin.Silo}), load generator on {pin.Load}");
}

using var deadline = new CancellationTokenSource(options.MaxTime);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    deadline.Cancel();
};

var results = new List<Result>();
var failures = 0;
Console.Error.WriteLine($"{options.Scenario}: servers {string.Join(", ", options.Servers)}, {options.Repeat} run(s), stopping after {options.MaxTime}");
try
{
    // Servers alternate within each repetition, so drift on the machine touches all of them alike.
    for (var run = 1; run <= options.Repeat; run++)
    {
        foreach (var kind in options.Servers)
        {
            Console.Error.WriteLine($"run {run}: starting {kind}");
            try
            {
                await using var server = await ServerUnderTest.StartAsync(kind, options);
                await scenario(server, options, run, results, deadline.Token);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !deadline.IsCancellationRequested)
            {
                // One server failing must not lose the others' results; the failure is reported with them.
                Console.Error.WriteLine($"run {run}: {kind} failed: {ex.GetType().Name}: {ex.Message}");
                results.Add(new Result(options.Scenario, kind, run, "failed", 1, "error"));
                failures++;
            }
        }
    }
}
catch (OperationCanceledException) when (deadline.IsCancellationRequested)
{
    Console.Error.WriteLine("stopped: time limit reached (--max-seconds); results so far follow");
}

Report.Print(results);
if (options.JsonPath is not null)
{
    await Report.SaveAsync(options.JsonPath, results);
}

return failures == 0 ? 0 : 1;
