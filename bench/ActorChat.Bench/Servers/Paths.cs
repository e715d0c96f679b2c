namespace ActorChat.Bench.Servers;

internal static class Paths
{
    /// <summary>This tool's own assembly, started again to host a baseline server.</summary>
    public static string Self => typeof(Paths).Assembly.Location;

    /// <summary>A project's build output in the configuration this tool was built in.</summary>
    public static string Output(string project, string assembly)
    {
        var binary = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = binary.Parent!.Name;
        var root = binary;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ActorChat.sln")))
        {
            root = root.Parent;
        }

        var path = Path.Combine(root?.FullName ?? throw new InvalidOperationException("ActorChat.sln not found"), project, "bin", configuration, "net10.0", assembly);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {project} in {configuration} first.", path);
    }
}
