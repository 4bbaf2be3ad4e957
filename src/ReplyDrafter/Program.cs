using Microsoft.Extensions.Hosting;
using ReplyDrafter;
using ReplyDrafter.Cli;
using ReplyDrafter.Hosting;
using ReplyDrafter.Telemetry;

return await ReplyDrafterCommandLine.InvokeAsync(args, static settings =>
{
    var builder = Host.CreateApplicationBuilder(settings);
    builder.AddReplyDrafter();
    builder.AddReplyDrafterServiceHosting();
    builder.AddReplyDrafterTelemetry();
    return builder;
});
