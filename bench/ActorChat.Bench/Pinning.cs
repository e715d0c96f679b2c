using System.Diagnostics;

namespace ActorChat.Bench;

/// <summary>CPU affinity through taskset: a process started on some CPUs, or one already running moved there with all its threads.</summary>
internal static class Pinning
{
    /// <summary>Moves every thread of <paramref name="pid"/> to <paramref name="cpus"/>; threads it starts later inherit the mask.</summary>
    public static void Pin(int pid, string cpus)
    {
        var info = new ProcessStartInfo("taskset") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-a", "-p", "-c", cpus, pid.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("taskset did not start.");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"taskset -a -p -c {cpus} {pid} failed: {error}");
        }
    }
}
