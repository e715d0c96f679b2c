using System.Globalization;

namespace ActorChat.Bench.Servers;

/// <summary>
/// The block device a directory is stored on, and the bytes that device has been sent to write
/// (<c>/sys/dev/block/MAJOR:MINOR/stat</c>, sectors written × 512).
/// </summary>
/// <remarks>
/// A process's own <c>write_bytes</c> (<c>/proc/PID/io</c>) is counted when it dirties the page cache, a whole
/// folio at a time, and on kernels whose page cache keeps large folios (ext4 on Linux 6.x) a write of 8 KiB into
/// a big file after an fsync counts up to 2 MiB: on this machine 8 KiB pwrite + fdatasync counted 64 KiB on a
/// 64 KiB file and 2 MiB on a 16 MiB one, while the disk was sent 8.3 KiB. The device's own counter is what reached
/// the disk (journal included); it also counts other processes writing to the same device, which on a quiet
/// machine during a run is little.
/// </remarks>
internal sealed class BlockDevice
{
    private readonly string _stat;

    private BlockDevice(string name, string stat)
    {
        Name = name;
        _stat = stat;
    }

    /// <summary>The device as <c>MAJOR:MINOR</c>.</summary>
    public string Name { get; }

    /// <summary>The device holding <paramref name="directory"/>, or null when it is on none (tmpfs, overlay).</summary>
    public static BlockDevice? Of(string directory)
    {
        var full = Path.GetFullPath(directory).TrimEnd('/') + "/";
        string? best = null;
        var bestLength = -1;
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // "36 35 98:0 /root /mount/point options ... - fstype source superoptions"
            var fields = line.Split(' ');
            var mountPoint = Unescape(fields[4]).TrimEnd('/') + "/";
            if (full.StartsWith(mountPoint, StringComparison.Ordinal) && mountPoint.Length > bestLength)
            {
                (best, bestLength) = (fields[2], mountPoint.Length);
            }
        }

        if (best is null || best.StartsWith("0:", StringComparison.Ordinal))
        {
            return null;
        }

        var stat = $"/sys/dev/block/{best}/stat";
        return File.Exists(stat) ? new BlockDevice(best, stat) : null;
    }

    /// <summary>
    /// Writes out whatever the machine's page cache holds dirty (<c>sync</c>), so that the kernel's background
    /// writeback of earlier work (a build, the previous run) does not land in the next measurement.
    /// </summary>
    public static void Settle()
    {
        using var sync = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sync") { UseShellExecute = false });
        sync?.WaitForExit();
    }

    /// <summary>Bytes written to the device since boot.</summary>
    public long BytesWritten()
    {
        // Field 7 of the block layer's stat file: sectors written, in 512-byte units whatever the device's own size.
        var fields = File.ReadAllText(_stat).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return long.Parse(fields[6], CultureInfo.InvariantCulture) * 512;
    }

    // mountinfo escapes space, tab, newline and backslash as \ooo.
    private static string Unescape(string field) =>
        field.Contains('\\', StringComparison.Ordinal)
            ? System.Text.RegularExpressions.Regex.Replace(field, @"\\([0-7]{3})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString())
            : field;
}
