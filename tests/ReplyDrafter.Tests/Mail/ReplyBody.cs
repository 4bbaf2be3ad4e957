namespace ReplyDrafter.Tests.Mail;

/// <summary>Builds reply bodies the way clients lay them out: own text, then what introduces the earlier message, then it.</summary>
internal static class ReplyBody
{
    /// <summary>A top-posted reply: the own text, a blank line, the attribution or header, the earlier message.</summary>
    public static string TopPost(string own, string introduction, string earlier) =>
        earlier.Length == 0 ? $"{own}\n\n{introduction}" : $"{own}\n\n{introduction}\n\n{earlier}";

    /// <summary>A reply written below the quote it answers.</summary>
    public static string BottomPost(string introduction, string quote, string own) => $"{introduction}\n{quote}\n\n{own}";
}
