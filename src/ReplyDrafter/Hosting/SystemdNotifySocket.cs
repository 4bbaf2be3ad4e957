using System.Net.Sockets;
using System.Text;

namespace ReplyDrafter.Hosting;

/// <summary>
/// The sd_notify protocol: one datagram per message to the Unix socket systemd names in <c>NOTIFY_SOCKET</c>
/// (a leading <c>@</c> means the abstract namespace). Microsoft.Extensions.Hosting.Systemd's notifier takes its path
/// only from the environment; this one takes it as given, so a test can bind its own socket.
/// </summary>
internal sealed class SystemdNotifySocket(string? path)
{
    public bool IsEnabled => !string.IsNullOrEmpty(path);

    /// <summary>Sends one message such as <c>READY=1</c>; false when it could not be delivered (never throws: systemd may be gone).</summary>
    public bool Send(string message)
    {
        if (!IsEnabled)
        {
            return false;
        }

        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            var address = path![0] == '@' ? "\0" + path[1..] : path;
            socket.SendTo(Encoding.UTF8.GetBytes(message), new UnixDomainSocketEndPoint(address));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
