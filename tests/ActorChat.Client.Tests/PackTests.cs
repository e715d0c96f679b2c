using System.Diagnostics;
using System.IO.Compression;

namespace ActorChat.Client.Tests;

/// <summary>The library is a NuGet package of its own.</summary>
public sealed class PackTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Fact]
    public async Task Dotnet_pack_makes_a_package_with_the_library_and_its_readme_and_no_server_dependency()
    {
        var output = Directory.CreateTempSubdirectory("actorchat-pack-");
        try
        {
            // The library is built already (this project references it), so packing is only packing.
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "pack", Repository.PathOf("clients/dotnet/ActorChat.Client/ActorChat.Client.csproj"), "-c", Configuration, "--no-build", "-o", output.FullName })
            {
                info.ArgumentList.Add(arg);
            }

            using var pack = Process.Start(info)!;
            var stdout = pack.StandardOutput.ReadToEndAsync();
            var stderr = pack.StandardError.ReadToEndAsync();
            using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
            {
                await pack.WaitForExitAsync(timeout.Token);
            }

            Assert.True(pack.ExitCode == 0, $"dotnet pack exited {pack.ExitCode}: {await stdout}{await stderr}");
            var package = Path.Combine(output.FullName, "ActorChat.Client.2.0.0.nupkg");
            Assert.True(File.Exists(package), $"no {package}: {string.Join(", ", output.EnumerateFiles().Select(f => f.Name))}");

            using var zip = ZipFile.OpenRead(package);
            Assert.Contains(zip.Entries, e => e.FullName == "lib/net10.0/ActorChat.Client.dll");
            Assert.Contains(zip.Entries, e => e.FullName == "README.md");
            using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
            var manifest = await nuspec.ReadToEndAsync();
            Assert.Contains("<id>ActorChat.Client</id>", manifest, StringComparison.Ordinal);
            Assert.DoesNotContain("ActorChat.Contracts", manifest, StringComparison.Ordinal);
            Assert.DoesNotContain("Orleans", manifest, StringComparison.Ordinal);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
