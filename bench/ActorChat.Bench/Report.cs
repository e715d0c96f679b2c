using System.Globalization;
using System.Text.Json;

namespace ActorChat.Bench;

/// <summary>One row of results: a server, a measured quantity, its value; printed as a table and saved as JSON.</summary>
internal sealed record Result(string Scenario, string Server, int Run, string Metric, double Value, string Unit);

internal static class Report
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Prints every metric per server with its ratio to <c>raw</c> and to <c>signalr</c> when they ran.</summary>
    public static void Print(IReadOnlyList<Result> results)
    {
        var servers = results.Select(r => r.Server).Distinct().ToList();
        Console.WriteLine();
        Console.WriteLine($"{"metric",-34} {"server",-18} {"value",14} {"unit",-10} {"vs raw",8} {"vs signalr",10}");
        foreach (var metric in results.Select(r => (r.Metric, r.Unit)).Distinct())
        {
            double? Mean(string server)
            {
                var values = results.Where(r => r.Server == server && r.Metric == metric.Metric).Select(r => r.Value).ToList();
                return values.Count == 0 ? null : values.Average();
            }

            foreach (var server in servers)
            {
                if (Mean(server) is not { } value)
                {
                    continue;
                }

                string Ratio(string peer) => Mean(peer) is { } other && other != 0 && peer != server ? (value / other).ToString("0.00", CultureInfo.InvariantCulture) : "";
                Console.WriteLine($"{metric.Metric,-34} {server,-18} {value.ToString("0.###", CultureInfo.InvariantCulture),14} {metric.Unit,-10} {Ratio("raw"),8} {Ratio("signalr"),10}");
            }
        }
    }

    public static async Task SaveAsync(string path, IReadOnlyList<Result> results)
    {
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, results, Indented);
    }
}
