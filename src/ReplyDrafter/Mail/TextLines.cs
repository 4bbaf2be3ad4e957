using System.Text;

namespace ReplyDrafter.Mail;

internal static class TextLines
{
    /// <summary>Lines joined with '\n', trailing spaces trimmed, runs of blank lines folded to one, none at either end.</summary>
    public static string JoinFoldingBlanks(IEnumerable<string> lines)
    {
        var result = new StringBuilder();
        var blank = 0;
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd();
            if (line.Length == 0)
            {
                blank++;
                continue;
            }

            if (result.Length > 0)
            {
                result.Append(blank > 0 ? "\n\n" : "\n");
            }

            blank = 0;
            result.Append(line);
        }

        return result.ToString();
    }
}
