using System.Diagnostics;
using System.Threading.Channels;

namespace ActorChat.Clients.Tests;

/// <summary>actorchat-cli run as its own process (the build next to the tests), its output read line by line as it comes.</summary>
public sealed class CliProcess : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly Process _process;
    private readonly Channel<string> _stdout = Channel.CreateUnbounded<string>();
    private readonly Channel<string> _stderr = Channel.CreateUnbounded<string>();

    private CliProcess(Process process)
    {
        _process = process;
    }

    /// <summary>Every line written to standard output so far.</summary>
    public List<string> Output { get; } = [];

    public static CliProcess Start(string configDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "actorchat-cli.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["ACTORCHAT_CONFIG"] = configDirectory;
        info.Environment.Remove("ACTORCHAT_SERVER");
        info.Environment.Remove("ACTORCHAT_TOKEN");
        var process = new Process { StartInfo = info };
        var cli = new CliProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                cli._stdout.Writer.TryComplete();
                return;
            }

            lock (cli.Output)
            {
                cli.Output.Add(e.Data);
            }

            cli._stdout.Writer.TryWrite(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                cli._stderr.Writer.TryComplete();
            }
            else
            {
                cli._stderr.Writer.TryWrite(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Runs a command to its end: its exit code, standard output and standard error.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string configDirectory, params string[] args)
    {
        await using var cli = Start(configDirectory, args);
        cli._process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(Deadline);
        await cli._process.WaitForExitAsync(timeout.Token);
        var output = string.Join('\n', await cli._stdout.Reader.ReadAllAsync(timeout.Token).ToListAsync(timeout.Token));
        var error = string.Join('\n', await cli._stderr.Reader.ReadAllAsync(timeout.Token).ToListAsync(timeout.Token));
        return (cli._process.ExitCode, output, error);
    }

    public Task<string> NextOutputAsync(Func<string, bool> match) => NextAsync(_stdout, match);

    public Task<string> NextStatusAsync(Func<string, bool> match) => NextAsync(_stderr, match);

    public Task WriteLineAsync(string line) => _process.StandardInput.WriteLineAsync(line);

    public async Task<int> ExitAsync()
    {
        using var timeout = new CancellationTokenSource(Deadline);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static async Task<string> NextAsync(Channel<string> lines, Func<string, bool> match)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        while (true)
        {
            var line = await lines.Reader.ReadAsync(timeout.Token);
            if (match(line))
            {
                return line;
            }
        }
    }
}
