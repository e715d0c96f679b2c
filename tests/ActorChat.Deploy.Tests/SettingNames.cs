using System.Reflection;
using ActorChat.Api;
using ActorChat.Contracts;
using ActorChat.FrontEnd.Auth;
using ActorChat.FrontEnd.Connections;
using ActorChat.FrontEnd.Relay;
using ActorChat.Grains;
using ActorChat.Grains.Hosting;
using ActorChat.ServiceDefaults;
using ActorChat.Storage;

namespace ActorChat.Deploy.Tests;

/// <summary>Every ActorChat setting that exists, from the options classes themselves, as environment variable names.</summary>
internal static class SettingNames
{
    private static readonly (string Section, Type Options)[] Sections =
    [
        (HostingOptions.Section, typeof(HostingOptions)),
        (ChatClusterOptions.Section, typeof(ChatClusterOptions)),
        (ClusterTlsOptions.Section, typeof(ClusterTlsOptions)),
        (StorageOptions.Section, typeof(StorageOptions)),
        (RoomOptions.Section, typeof(RoomOptions)),
        (ChatStreamOptions.Section, typeof(ChatStreamOptions)),
        (ChatLimits.Section, typeof(ChatLimits)),
        (SocketOptions.Section, typeof(SocketOptions)),
        (AuthOptions.Section, typeof(AuthOptions)),
        (RelayOptions.Section, typeof(RelayOptions)),
        (ManagementOptions.Section, typeof(ManagementOptions)),
        (DashboardAccessOptions.Section, typeof(DashboardAccessOptions)),
    ];

    /// <summary>True when <paramref name="variable"/> (e.g. <c>ActorChat__Auth__SigningKey</c>) names a real setting.</summary>
    public static bool Exists(string variable)
    {
        var key = variable.Replace("__", ":", StringComparison.Ordinal);
        if (key == "ActorChat:Redis")
        {
            return true;
        }

        return Sections.Any(s =>
            key.StartsWith(s.Section + ":", StringComparison.Ordinal)
            && s.Options.GetProperty(key[(s.Section.Length + 1)..].Split(':')[0], BindingFlags.Public | BindingFlags.Instance) is not null);
    }
}
