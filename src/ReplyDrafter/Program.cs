using ReplyDrafter.Cli;

return await ReplyDrafterCommandLine.InvokeAsync(args);
