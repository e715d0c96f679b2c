using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace ActorChat.Testing;

/// <summary>
/// A throwaway PostgreSQL server of the test's own: a fresh cluster (initdb) in a temporary directory, on a
/// loopback port the OS picks, reached over TCP on 127.0.0.1 only. Stopped by the PID of its postmaster. Run as
/// root (CI), it runs as the package's <c>postgres</c> user, since initdb refuses root.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string Superuser = "actorchat";
    private readonly string _bin;
    private readonly bool _asPostgresUser;
    private int _pid;

    private PostgresServer(string bin, string directory, int port, bool asPostgresUser)
    {
        _bin = bin;
        Directory = directory;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    public string Directory { get; }

    public int Port { get; private set; }

    public bool IsRunning => _pid != 0;

    /// <summary>The postmaster's PID while the server runs; 0 otherwise.</summary>
    public int Pid => _pid;

    /// <summary>A connection string for <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = Superuser,
            Database = database,
            Pooling = true,
            Timeout = 5,
        }.ConnectionString;

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = FindBin();
        var directory = Path.Combine(Path.GetTempPath(), $"actorchat-pg-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        var asPostgres = Environment.UserName == "root";
        var server = new PostgresServer(bin, directory, FreePorts.Next(), asPostgres);
        try
        {
            if (asPostgres)
            {
                await RunAsync("chown", ["postgres:postgres", directory], asPostgres: false);
            }

            await server.RunToolAsync("initdb", ["-D", Path.Combine(directory, "data"), "-A", "trust", "-U", Superuser, "--no-sync", "-E", "UTF8"]);

            // The port was free when the OS handed it out, but another process of a parallel test run may bind it
            // before the postmaster does: then start again on another one, and if all fail, say why from the log.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await server.StartServerAsync();
                    return server;
                }
                catch (InvalidOperationException failure) when (attempt < 3)
                {
                    Console.Error.WriteLine($"PostgreSQL did not start on port {server.Port} (attempt {attempt}): {failure.Message} {server.LogTail()}");
                    server.Port = FreePorts.Next();
                }
                catch (InvalidOperationException failure)
                {
                    throw new InvalidOperationException($"{failure.Message} Its log: {server.LogTail()}", failure);
                }
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an empty database and answers its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE \"{name}\"";
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Stops the server (fast shutdown: clients are cut off) and waits until it has gone.</summary>
    public async Task StopAsync()
    {
        if (_pid == 0)
        {
            return;
        }

        // SIGINT is PostgreSQL's fast shutdown: sessions end, the data stays consistent.
        await RunAsync("kill", ["-INT", _pid.ToString(CultureInfo.InvariantCulture)], asPostgres: false);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (File.Exists(Path.Combine(Directory, "data", "postmaster.pid")))
        {
            await Task.Delay(50, deadline.Token);
        }

        _pid = 0;
    }

    /// <summary>Starts the server again on the same data and port (after <see cref="StopAsync"/>).</summary>
    public Task RestartAsync() => StartServerAsync();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            if (System.IO.Directory.Exists(Directory))
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
        }
    }

    private async Task StartServerAsync()
    {
        var data = Path.Combine(Directory, "data");
        var options = $"-p {Port} -k {Directory} -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=64MB";
        await RunToolAsync("pg_ctl", ["-D", data, "-o", options, "-l", Path.Combine(Directory, "log"), "-w", "-t", "60", "start"]);
        _pid = int.Parse((await File.ReadAllLinesAsync(Path.Combine(data, "postmaster.pid")))[0], CultureInfo.InvariantCulture);
    }

    private string LogTail()
    {
        var log = Path.Combine(Directory, "log");
        return File.Exists(log) ? string.Join(" | ", File.ReadLines(log).TakeLast(5)) : "(no log)";
    }

    private Task RunToolAsync(string tool, string[] arguments) => RunAsync(Path.Combine(_bin, tool), arguments, _asPostgresUser);

    private static async Task RunAsync(string program, string[] arguments, bool asPostgres)
    {
        var info = asPostgres ? new ProcessStartInfo("runuser") : new ProcessStartInfo(program);
        if (asPostgres)
        {
            foreach (var prefix in new[] { "-u", "postgres", "--", program })
            {
                info.ArgumentList.Add(prefix);
            }
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed ({process.ExitCode}): {await output}{await errors}");
        }
    }

    /// <summary>The newest PostgreSQL's programs (Debian's <c>postgresql</c> package; test.sh installs it).</summary>
    private static string FindBin()
    {
        var versions = System.IO.Directory.Exists("/usr/lib/postgresql")
            ? System.IO.Directory.GetDirectories("/usr/lib/postgresql").Where(d => File.Exists(Path.Combine(d, "bin", "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).ToList()
            : [];
        return versions.Count > 0
            ? Path.Combine(versions[0], "bin")
            : throw new InvalidOperationException("PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb): run ./test.sh, which installs Debian's postgresql.");
    }
}
