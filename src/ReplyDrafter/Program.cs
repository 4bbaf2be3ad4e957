using Microsoft.Extensions.Hosting;
using ReplyDrafter;
using ReplyDrafter.Cli;

return await ReplyDrafterCommandLine.InvokeAsync(args, static settings =>
{
    var builder = Host.CreateApplicationBuilder(settings);
    builder.AddReplyDrafter();
    return builder;
});
