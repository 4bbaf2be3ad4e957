using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;
using ReplyDrafter.Imap;

namespace ReplyDrafter.Tests.Imap;

/// <summary>
/// A real Dovecot 2.3 on loopback, configured from scratch in a temp folder (own config, passwd-file users, maildirs,
/// free ports, a self-signed certificate on the IMAPS port), shared by the collection; one user per test. A missing or
/// broken Dovecot fails the tests with the reason; nothing is skipped.
/// </summary>
/// <remarks>Free of xUnit (the fixture binding is in DovecotFixture.cs) so the benchmarks link this file too.</remarks>
public sealed partial class DovecotServer
{
    private const string MailUid = "65534";
    /// <summary>Users are written before Dovecot starts: a passwd-file changed within the second of its last read is not re-read at once.</summary>
    private const int UserPool = 96;
    private readonly List<DovecotUser> _users = [];
    private Process? _process;
    private const int PlainUserPool = 4;
    private const int QuotaUserPool = 4;
    private const int NoNotifyUserPool = 2;
    private readonly List<DovecotUser> _noNotifyUsers = [];
    private int _noNotifyUserCount;
    private readonly List<DovecotUser> _plainUsers = [];
    private readonly List<DovecotUser> _quotaUsers = [];
    private int _userCount;
    private int _plainUserCount;
    private int _quotaUserCount;

    /// <summary>The storage quota of <see cref="NewQuotaUser"/>'s users.</summary>
    public const int QuotaBytes = 16 * 1024;

    public string Root { get; } = TestScratch.Combine("dovecot", Guid.NewGuid().ToString("N"));

    public int Port { get; private set; }

    /// <summary>
    /// Set to also log users in with OAuth2 (XOAUTH2, OAUTHBEARER): an oauth2 passdb asking this RFC 7662 endpoint;
    /// the password logins stay as they are.
    /// </summary>
    public string? OAuth2IntrospectionUrl { get; init; }

    /// <summary>How long Dovecot waits before it answers a wrong password (its default is 2 s; 0 here unless set).</summary>
    public TimeSpan AuthFailureDelay { get; init; }

    /// <summary>The certificate (PEM) the introspection endpoint's is checked against.</summary>
    public string? OAuth2CaFile { get; init; }

    public int TlsPort { get; private set; }

    /// <summary>SHA-256 (hex) of the server's self-signed certificate on <see cref="TlsPort"/>.</summary>
    public string CertificateSha256 { get; private set; } = "";

    private string ConfigPath => Path.Combine(Root, "dovecot.conf");

    private string UsersPath => Path.Combine(Root, "users");

    private string MailRoot => Path.Combine(Root, "mail");

    private string LogPath => Path.Combine(Root, "dovecot.log");

    public async Task InitializeAsync()
    {
        string binary = FindOnPath("dovecot")
            ?? throw new InvalidOperationException("Dovecot is not installed (no 'dovecot' on PATH): install the apt package dovecot-imapd (.ci/run does).");
        Directory.CreateDirectory(Path.Combine(Root, "base"));
        Directory.CreateDirectory(Path.Combine(Root, "state"));
        Directory.CreateDirectory(MailRoot);
        bool root = Environment.UserName == "root";
        WriteUsers(root);
        if (root)
        {
            // Dovecot refuses to read mail as root: the mail processes run as nobody, who must own the maildirs.
            Run("chown", $"{MailUid}:{MailUid}", MailRoot);
        }

        WriteCertificate();
        Port = FreePort();
        TlsPort = FreePort();
        File.WriteAllText(ConfigPath, Config(root));

        var start = new ProcessStartInfo(binary, ["-F", "-c", ConfigPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("Dovecot did not start.");
        var output = new StringBuilder();
        _process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        // Readiness: both listeners accept, or Dovecot exited (bad config, missing privileges).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!(await AcceptsAsync(Port) && await AcceptsAsync(TlsPort)))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                string log = File.Exists(LogPath) ? await File.ReadAllTextAsync(LogPath) : "";
                string said;
                lock (output)
                {
                    said = output.ToString();
                }

                throw new InvalidOperationException(
                    $"Dovecot could not start on 127.0.0.1:{Port} ({(_process.HasExited ? "exited with " + _process.ExitCode : "not listening after 20 s")}). Output: {said} Log: {log}");
            }

            await Task.Delay(50);
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A fresh user with an empty mailbox (INBOX only).</summary>
    public DovecotUser NewUser()
    {
        int index = Interlocked.Increment(ref _userCount) - 1;
        return index < _users.Count
            ? _users[index]
            : throw new InvalidOperationException($"The Dovecot fixture made {_users.Count} users; raise UserPool.");
    }

    /// <summary>A fresh user whose server session offers bare IMAP4rev1: no IDLE, no UIDPLUS, no SPECIAL-USE.</summary>
    public DovecotUser NewPlainImapUser()
    {
        int index = Interlocked.Increment(ref _plainUserCount) - 1;
        return index < _plainUsers.Count
            ? _plainUsers[index]
            : throw new InvalidOperationException($"The Dovecot fixture made {_plainUsers.Count} plain users; raise PlainUserPool.");
    }

    /// <summary>A fresh user whose session offers IDLE but not NOTIFY (Dovecot offers NOTIFY only with mailbox list indexes).</summary>
    public DovecotUser NewNoNotifyUser()
    {
        int index = Interlocked.Increment(ref _noNotifyUserCount) - 1;
        return index < _noNotifyUsers.Count
            ? _noNotifyUsers[index]
            : throw new InvalidOperationException($"The Dovecot fixture made {_noNotifyUsers.Count} users without NOTIFY; raise NoNotifyUserPool.");
    }

    /// <summary>A fresh user whose mailbox holds at most <see cref="QuotaBytes"/> (an APPEND over it is refused with OVERQUOTA).</summary>
    public DovecotUser NewQuotaUser()
    {
        int index = Interlocked.Increment(ref _quotaUserCount) - 1;
        return index < _quotaUsers.Count
            ? _quotaUsers[index]
            : throw new InvalidOperationException($"The Dovecot fixture made {_quotaUsers.Count} quota users; raise QuotaUserPool.");
    }

    /// <summary>
    /// How many times the user logged in, from Dovecot's log, once it shows at least <paramref name="atLeast"/>: Dovecot's
    /// log process writes a login's line a moment after the login, so a count read at once can miss the latest one.
    /// Waits on the log file's changes, up to 10 s; then returns what it shows.
    /// </summary>
    public async Task<int> LoginCountAsync(DovecotUser user, int atLeast)
    {
        using var changed = new SemaphoreSlim(0);
        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(LogPath)!, Path.GetFileName(LogPath));
        watcher.Changed += (_, _) => changed.Release();
        watcher.EnableRaisingEvents = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        int count;
        while ((count = LoginCount(user)) < atLeast)
        {
            try
            {
                await changed.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                return LoginCount(user);
            }
        }

        return count;
    }

    /// <summary>How many times the user logged in so far, from Dovecot's log (see <see cref="LoginCountAsync"/>).</summary>
    public int LoginCount(DovecotUser user)
    {
        string marker = $"Login: user=<{user.Name}>,";
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        int count = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Contains(marker, StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count;
    }

    public ImapOptions Options(DovecotUser user, params string[] folders)
    {
        var options = new ImapOptions
        {
            Host = "127.0.0.1",
            Port = Port,
            Security = SecureSocketOptions.None,
            Username = user.Name,
            Password = user.Password,
            ReconnectDelay = TimeSpan.FromSeconds(1),
            ReconnectMaxDelay = TimeSpan.FromSeconds(4),
        };
        foreach (var folder in folders)
        {
            options.Folders.Add(folder);
        }

        return options;
    }

    /// <summary>A plain test client (the seeding side, not the code under test).</summary>
    public async Task<ImapClient> ConnectAsync(DovecotUser user)
    {
        var client = new ImapClient();
        await client.ConnectAsync("127.0.0.1", Port, SecureSocketOptions.None);
        await client.AuthenticateAsync(user.Name, user.Password);
        return client;
    }

    public async Task CreateFolderAsync(DovecotUser user, string name)
    {
        using var client = await ConnectAsync(user);
        await client.GetFolder(client.PersonalNamespaces[0]).CreateAsync(name, isMessageFolder: true);
        await client.DisconnectAsync(true);
    }

    /// <summary>APPENDs with the given arrival date (INTERNALDATE) and no flags; returns the new UID.</summary>
    public async Task<uint> AppendAsync(DovecotUser user, string folder, MimeMessage message, DateTimeOffset arrived, MessageFlags flags = MessageFlags.None)
    {
        using var client = await ConnectAsync(user);
        var target = await client.GetFolderAsync(folder);
        var uid = await target.AppendAsync(message, flags, arrived);
        await client.DisconnectAsync(true);
        return uid?.Id ?? throw new InvalidOperationException("Dovecot did not return an APPENDUID.");
    }

    /// <summary>Disconnects every session of the user (the server side of a dropped connection).</summary>
    public void Kick(DovecotUser user) => Run(FindOnPath("doveadm")!, "-c", ConfigPath, "kick", user.Name);

    public void SetUidValidity(DovecotUser user, string folder, uint value) =>
        Run(FindOnPath("doveadm")!, "-c", ConfigPath, "mailbox", "update", "-u", user.Name, "--uid-validity", value.ToString(CultureInfo.InvariantCulture), folder);

    private void WriteUsers(bool root)
    {
        var (uid, gid) = root ? (MailUid, MailUid) : (Id("-u"), Id("-g"));
        var lines = new StringBuilder();
        for (int i = 1; i <= UserPool; i++)
        {
            string name = $"u{i}";
            string password = $"pw-{Guid.NewGuid():N}";
            string home = Path.Combine(MailRoot, name);
            lines.Append(CultureInfo.InvariantCulture, $"{name}:{{PLAIN}}{password}:{uid}:{gid}::{home}::\n");
            _users.Add(new DovecotUser(name, password, Path.Combine(home, "Maildir")));
        }

        for (int i = 1; i <= PlainUserPool; i++)
        {
            string name = $"plain{i}";
            string password = $"pw-{Guid.NewGuid():N}";
            string home = Path.Combine(MailRoot, name);
            lines.Append(CultureInfo.InvariantCulture, $"{name}:{{PLAIN}}{password}:{uid}:{gid}::{home}:: userdb_imap_capability=IMAP4rev1\n");
            _plainUsers.Add(new DovecotUser(name, password, Path.Combine(home, "Maildir")));
        }

        for (int i = 1; i <= QuotaUserPool; i++)
        {
            string name = $"quota{i}";
            string password = $"pw-{Guid.NewGuid():N}";
            string home = Path.Combine(MailRoot, name);
            lines.Append(CultureInfo.InvariantCulture, $"{name}:{{PLAIN}}{password}:{uid}:{gid}::{home}:: userdb_quota_rule=*:storage={QuotaBytes / 1024}K\n");
            _quotaUsers.Add(new DovecotUser(name, password, Path.Combine(home, "Maildir")));
        }

        for (int i = 1; i <= NoNotifyUserPool; i++)
        {
            string name = $"nonotify{i}";
            string password = $"pw-{Guid.NewGuid():N}";
            string home = Path.Combine(MailRoot, name);
            lines.Append(CultureInfo.InvariantCulture, $"{name}:{{PLAIN}}{password}:{uid}:{gid}::{home}:: userdb_mailbox_list_index=no\n");
            _noNotifyUsers.Add(new DovecotUser(name, password, Path.Combine(home, "Maildir")));
        }

        File.WriteAllText(UsersPath, lines.ToString());
    }

    private string Config(bool root)
    {
        string internalUser = root ? "dovecot" : Environment.UserName;
        string loginUser = root ? "dovenull" : Environment.UserName;
        return $$"""
            protocols = imap
            listen = 127.0.0.1
            base_dir = {BASE}
            state_dir = {STATE}
            instance_name = replydrafter-tests-{NAME}
            log_path = {LOG}
            ssl = yes
            ssl_cert = <{CERT}
            ssl_key = <{KEY}
            auth_mechanisms = plain login{OAUTHMECHS}
            disable_plaintext_auth = no
            auth_failure_delay = {AUTHDELAY}
            mail_plugins = $mail_plugins quota
            plugin {
              # No rule here: only the quota users (passwd-file extra field) have a limit.
              quota = maildir:User quota
            }
            default_internal_user = {{internalUser}}
            default_internal_group = {{internalUser}}
            default_login_user = {{loginUser}}
            first_valid_uid = 1
            mail_location = maildir:~/Maildir
            passdb {
              driver = passwd-file
              args = {USERS}{PASSWORDMECHS}
            }
            {OAUTHPASSDB}
            userdb {
              driver = passwd-file
              args = {USERS}
            }
            namespace inbox {
              inbox = yes
              separator = /
              mailbox Drafts {
                special_use = \Drafts
              }
              mailbox Sent {
                special_use = \Sent
              }
            }
            service imap-login {
              inet_listener imap {
                port = {PORT}
              }
              inet_listener imaps {
                port = {TLSPORT}
                ssl = yes
              }
              chroot =
              # One login process for every connection (Dovecot's "high-performance" mode), and imap processes kept
              # for the next session: a test suite logs in hundreds of times, and a new process with TLS set up
              # afresh for each login cost more CPU than the IMAP work itself.
              service_count = 0
              process_min_avail = 1
            }
            service imap {
              service_count = 0
              process_min_avail = 1
            }
            # No growing per-IP delay after failed logins (the wrong-password tests fail on purpose).
            service anvil {
              chroot =
              unix_listener anvil-auth-penalty {
                mode = 0
              }
            }

            """
            .Replace("{OAUTHMECHS}", OAuth2IntrospectionUrl is null ? "" : " xoauth2 oauthbearer", StringComparison.Ordinal)
            .Replace("{PASSWORDMECHS}", OAuth2IntrospectionUrl is null ? "" : "\n  mechanisms = plain login", StringComparison.Ordinal)
            .Replace("{OAUTHPASSDB}", OAuth2IntrospectionUrl is null ? "" : $"passdb {{\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = {WriteOAuth2Config()}\n}}", StringComparison.Ordinal)
            .Replace("{AUTHDELAY}", AuthFailureDelay == TimeSpan.Zero ? "0" : string.Create(CultureInfo.InvariantCulture, $"{(int)AuthFailureDelay.TotalSeconds} secs"), StringComparison.Ordinal)
            .Replace("{BASE}", Path.Combine(Root, "base"), StringComparison.Ordinal)
            .Replace("{STATE}", Path.Combine(Root, "state"), StringComparison.Ordinal)
            .Replace("{NAME}", Path.GetFileName(Root), StringComparison.Ordinal)
            .Replace("{LOG}", LogPath, StringComparison.Ordinal)
            .Replace("{CERT}", Path.Combine(Root, "cert.pem"), StringComparison.Ordinal)
            .Replace("{KEY}", Path.Combine(Root, "key.pem"), StringComparison.Ordinal)
            .Replace("{USERS}", UsersPath, StringComparison.Ordinal)
            .Replace("{PORT}", Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{TLSPORT}", TlsPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    private string WriteOAuth2Config()
    {
        string path = Path.Combine(Root, "dovecot-oauth2.conf.ext");
        File.WriteAllText(path, $"""
            introspection_url = {OAuth2IntrospectionUrl}
            introspection_mode = post
            username_attribute = username
            active_attribute = active
            active_value = true
            tls_ca_cert_file = {OAuth2CaFile}
            timeout_msecs = 5000

            """);
        return path;
    }

    private void WriteCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(Path.Combine(Root, "cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(Root, "key.pem"), key.ExportPkcs8PrivateKeyPem());
        CertificateSha256 = Convert.ToHexString(SHA256.HashData(certificate.RawData));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin").Append("/usr/bin")
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    private static string Id(string flag) => Run("id", flag).Trim();

    private static string Run(string file, params string[] args)
    {
        using var child = Process.Start(new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException($"{file} did not start.");
        string stdout = child.StandardOutput.ReadToEnd();
        string stderr = child.StandardError.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({child.ExitCode}): {stderr}{stdout}");
        }

        return stdout;
    }
}

public sealed record DovecotUser(string Name, string Password, string Maildir)
{
    /// <summary>The maildir folder of <paramref name="folder"/> (Maildir++ layout: ".Name").</summary>
    public string FolderPath(string folder) => folder == "INBOX" ? Maildir : Path.Combine(Maildir, "." + folder);
}
