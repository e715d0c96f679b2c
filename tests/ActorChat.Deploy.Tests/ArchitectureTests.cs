using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace ActorChat.Deploy.Tests;

/// <summary>
/// The layering docs/architecture.md draws, read from the project files and the front end's using directives, so a
/// change that breaks it fails here instead of waiting for a reviewer to notice.
/// </summary>
public sealed partial class ArchitectureTests
{
    private const string Contracts = "grains/ActorChat.Contracts/ActorChat.Contracts.csproj";

    /// <summary>The front end's folders and the folders each may use (its own and the root namespace aside).</summary>
    public static TheoryData<string, string[]> FrontEndFolders => new()
    {
        { "Protocol", [] },
        { "Web", [] },
        { "Connections", [] },
        { "Auth", ["Protocol"] },
        { "Limits", ["Connections", "Protocol"] },
        { "Relay", ["Connections", "Protocol"] },
        { "Sockets", ["Auth", "Connections", "Limits", "Protocol", "Relay"] },
        { "Sse", ["Auth", "Connections", "Protocol", "Relay"] },
        { "Endpoints", ["Auth", "Connections", "Limits", "Protocol", "Relay", "Sockets", "Sse", "Web"] },
        { "ServerApi", ["Endpoints", "Protocol"] },
        { "OpenApi", ["ServerApi"] },
    };

    [Fact]
    public void The_front_end_references_the_contracts_and_no_other_project_of_ours() =>
        Assert.Equal([Contracts], ProjectReferences("api/ActorChat.FrontEnd/ActorChat.FrontEnd.csproj"));

    [Fact]
    public void The_contracts_reference_no_project_of_ours() =>
        Assert.Empty(ProjectReferences(Contracts));

    [Fact]
    public void The_service_defaults_reference_the_contracts_only_so_both_hosts_can_share_them() =>
        Assert.Equal([Contracts], ProjectReferences("hosting/ActorChat.ServiceDefaults/ActorChat.ServiceDefaults.csproj"));

    [Fact]
    public void The_dotnet_client_library_references_no_project_of_ours_and_the_cli_only_the_library()
    {
        // The library speaks the protocol over JSON: a grain contract changing must not change its package.
        Assert.Empty(ProjectReferences("clients/dotnet/ActorChat.Client/ActorChat.Client.csproj"));
        Assert.Equal(["clients/dotnet/ActorChat.Client/ActorChat.Client.csproj"], ProjectReferences("clients/cli/ActorChat.Cli.csproj"));
    }

    [Fact]
    public void No_project_compiles_another_projects_files_through_a_link()
    {
        var linked = BuildFiles()
            .SelectMany(file => XDocument.Load(Repository.PathOf(file)).Descendants()
                .Where(e => e.Name.LocalName == "Compile" && (e.Attribute("Link") is not null || e.Elements().Any(c => c.Name.LocalName == "Link")))
                .Select(e => $"{file}: {e.Attribute("Include")?.Value}"))
            .ToList();
        Assert.Empty(linked);
    }

    [Theory]
    [MemberData(nameof(FrontEndFolders))]
    public void A_front_end_folder_uses_only_the_folders_the_map_allows(string folder, string[] allowed)
    {
        var directory = Repository.PathOf($"api/ActorChat.FrontEnd/{folder}");
        var used = Directory.EnumerateFiles(directory, "*.cs")
            .SelectMany(file => FrontEndUsing().Matches(File.ReadAllText(file)).Select(m => (File: Path.GetFileName(file), Folder: m.Groups[1].Value)))
            .Where(u => u.Folder != folder && !allowed.Contains(u.Folder))
            .Select(u => $"{folder}/{u.File} uses {u.Folder}")
            .ToList();
        Assert.Empty(used);
    }

    [Fact]
    public void The_folder_map_names_every_folder_of_the_front_end()
    {
        var folders = Directory.EnumerateDirectories(Repository.PathOf("api/ActorChat.FrontEnd"))
            .Select(Path.GetFileName)
            .Where(name => name is not ("bin" or "obj" or "Properties"));
        Assert.Equal(FrontEndFolders.Select(row => (string)row[0]).Order(), folders.Order());
    }

    /// <summary>Repository-relative paths of the projects <paramref name="project"/> references, with forward slashes.</summary>
    private static List<string> ProjectReferences(string project)
    {
        var directory = Path.GetDirectoryName(Repository.PathOf(project))!;
        return [.. XDocument.Load(Repository.PathOf(project)).Descendants()
            .Where(e => e.Name.LocalName == "ProjectReference")
            .Select(e => Path.GetRelativePath(Repository.Root, Path.GetFullPath(Path.Combine(directory, e.Attribute("Include")!.Value.Replace('\\', '/')))).Replace('\\', '/'))
            .Order()];
    }

    /// <summary>Every project, props and targets file of ours, build output and packages left out.</summary>
    private static IEnumerable<string> BuildFiles() =>
        Directory.EnumerateFiles(Repository.Root, "*.*", SearchOption.AllDirectories)
            .Where(path => Path.GetExtension(path) is ".csproj" or ".props" or ".targets")
            .Select(path => Path.GetRelativePath(Repository.Root, path).Replace('\\', '/'))
            .Where(path => !path.Split('/').Any(part => part is "bin" or "obj" or "node_modules" or ".git"));

    [GeneratedRegex(@"^using ActorChat\.FrontEnd\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex FrontEndUsing();
}
