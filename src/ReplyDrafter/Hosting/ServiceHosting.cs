using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Hosting.Systemd;

namespace ReplyDrafter.Hosting;

/// <summary>Running under systemd (Type=notify) or as a Windows service; plain console otherwise.</summary>
internal static class ServiceHosting
{
    public static IHostApplicationBuilder AddReplyDrafterServiceHosting(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        // Both are no-ops unless the process really was started by systemd / the Windows service manager.
        services.AddSystemd();
        services.AddWindowsService(options => options.ServiceName = "ReplyDrafter");

        if (SystemdHelpers.IsSystemdService())
        {
            // SystemdLifetime says READY=1 as soon as the host has started, before the vault lock and the LLM probe;
            // ServiceReadiness says it when the worker really works, so the plain console lifetime handles signals.
            services.Replace(ServiceDescriptor.Singleton<IHostLifetime, ConsoleLifetime>());
            services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        }

        services.TryAddSingleton(sp => ServiceReadiness.FromEnvironment(sp.GetService<IHostApplicationLifetime>()));
        return builder;
    }
}
