using System.Net;
using System.Net.Sockets;

namespace ActorChat.Testing;

public static class FreePorts
{
    /// <summary>A loopback port the OS just handed out (and that nothing listens on now).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
