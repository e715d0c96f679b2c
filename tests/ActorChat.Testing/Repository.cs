namespace ActorChat.Testing;

/// <summary>The checkout the tests run from.</summary>
public static class Repository
{
    /// <summary>The folder holding ActorChat.sln, found from the test binaries upwards.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A path below the root, given with forward slashes as in the docs.</summary>
    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ActorChat.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("ActorChat.sln not found above the test binaries.");
    }
}
