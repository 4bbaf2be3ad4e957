using ReplyDrafter.Mail;
using ReplyDrafter.Tests.TestData;

namespace ReplyDrafter.Tests.Mail;

public sealed class MojibakeTests
{
    public static TheoryData<string, string> KnownMojibake => new()
    {
        { "Ã©", "é" },
        { "cafÃ©", "café" },
        { "donâ€™t", "don’t" },
        { "ðŸ“… 2025-12-12", "📅 2025-12-12" },
        { "â« high", "⏫ high" },
        { "Kar√©n", "Karén" },
        { "√©t√©", "été" },
        { "üìÖ 2025-12-12", "📅 2025-12-12" },
        { "‚è´", "⏫" },
        { "GrÃ¶ÃŸe", "Größe" },
        { "\uF8FFüìÖ 2025-12-12 ‚è´ #task", "📅 2025-12-12 ⏫ #task" },
        { "Weâ€™ll ship ðŸ“… 2025-12-12 â« #task", "We’ll ship 📅 2025-12-12 ⏫ #task" },
        { "â€œquotedâ€", "“quoted”" },
    };

    public static TheoryData<string> LegitimateText => new()
    {
        "café",
        "naïve",
        "Größe",
        "déjà vu",
        "¿Qué?",
        "©2025",
        "√2 ≈ 1.41",
        "Þórður Ægisson í Reykjavík",
        "l’été",
        "«école»",
        "SÃO PAULO",
        "Ärger über Öl",
        "Crème brûlée — 12 €",
        "½ + ¼ = ¾",
        "The price is £5 ± 2°",
        "Привет, мир",
        "日本語のテキスト",
        "📅 ⏫ 🔺 ✅",
        "Ça va? À bientôt!",
        "Müller’s “quote”",
        "señor año",
        "Łódź",
    };

    public static TheoryData<string> Samples => new()
    {
        "Karén Simonyan",
        "don’t worry — it’s “fine”",
        "📅 2025-12-12 ⏫ #task",
        "🔺 🔼 🔽 ⏬ ⏳ ✅ ❌ ❗ ❤️ ➕",
        "Größe, Ärger, Übermaß",
        "déjà vu, naïve café, crème brûlée",
        "¿Qué tal? ¡Olé!",
        "Þórður Ægisson",
        "Łódź, Kraków, Gdańsk",
        "Ελληνικά κείμενα",
        "Привет, как дела?",
        "שלום עולם",
        "مرحبا بالعالم",
        "日本語のテキスト",
        "한국어 텍스트",
        "Tiếng Việt có dấu",
        "I 👍 this 🎉🎉 and 👨‍👩‍👧",
        "Price: 12 € ± 0.50 £",
        "Meeting 🏀 at 🍀 with 🐶 and 🏻",
        "NBSP\u00a0here",
    };

    [Theory]
    [MemberData(nameof(KnownMojibake))]
    public void Repair_KnownMojibake_ReturnsOriginal(string broken, string expected) =>
        Assert.Equal(expected, Mojibake.Repair(broken));

    [Theory]
    [MemberData(nameof(LegitimateText))]
    public void Repair_LegitimateText_LeavesItUnchanged(string text) =>
        Assert.Equal(text, Mojibake.Repair(text));

    [Theory]
    [MemberData(nameof(Samples))]
    public void Repair_Windows1252RoundTrip_RestoresText(string text) =>
        Assert.Equal(text, Mojibake.Repair(MojibakeMaker.AsWindows1252(text)));

    [Theory]
    [MemberData(nameof(Samples))]
    public void Repair_MacRomanRoundTrip_RestoresText(string text) =>
        Assert.Equal(text, Mojibake.Repair(MojibakeMaker.AsMacRoman(text)));

    [Theory]
    [MemberData(nameof(Samples))]
    public void Repair_DoubleWindows1252_RestoresText(string text) =>
        Assert.Equal(text, Mojibake.Repair(MojibakeMaker.AsWindows1252(MojibakeMaker.AsWindows1252(text))));

    [Theory]
    [MemberData(nameof(Samples))]
    public void Repair_Windows1252ThenMacRoman_RestoresText(string text) =>
        Assert.Equal(text, Mojibake.Repair(MojibakeMaker.AsMacRoman(MojibakeMaker.AsWindows1252(text))));

    [Theory]
    [InlineData("📅 due ⏫ high")]
    [InlineData("Karén’s “notes”")]
    [InlineData("❌ rejected")]
    public void Repair_Windows1252WithUndefinedBytesDropped_RestoresText(string text) =>
        Assert.Equal(text, Mojibake.Repair(MojibakeMaker.AsWindows1252DroppingUndefined(text)));

    [Fact]
    public void Repair_MixedLegitimateAndBroken_RepairsOnlyBrokenPart()
    {
        var text = "Real café, broken " + MojibakeMaker.AsWindows1252("café") + ", real naïve.";

        Assert.Equal("Real café, broken café, real naïve.", Mojibake.Repair(text));
    }

    [Fact]
    public void Repair_LongText_Completes()
    {
        var text = string.Concat(Enumerable.Repeat(MojibakeMaker.AsWindows1252("Größe 📅 — ok. "), 10_000));

        var repaired = Mojibake.Repair(text);

        Assert.Equal(string.Concat(Enumerable.Repeat("Größe 📅 — ok. ", 10_000)), repaired);
    }
}
