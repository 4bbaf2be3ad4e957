using ReplyDrafter.Mail;

namespace ReplyDrafter.Tests.Mail;

/// <summary>
/// Five cases for each of the table's first 20 languages: Gmail's and Thunderbird's attributions over a quote, an
/// Outlook header block over an unquoted original, the phone signature above a quoted reply, and the "Original
/// Message" line. The strings are
/// written here by hand from the clients' formats, independently of the table.
/// </summary>
public sealed class ReplyLanguageTests
{
    private const string Address = "Alice Sender <alice@example.com>";
    private const string Quote = "> Can we meet on Tuesday?\n> Alice";
    private const string Original = "Can we meet on Tuesday?\n\nAlice";

    private static readonly (string Code, string Own, string Gmail, string Thunderbird, string[] Labels, string Mobile, string Separator)[] Languages =
    [
        ("en", "Thanks, that works.", $"On Mon, Dec 1, 2025 at 10:00 AM {Address} wrote:", "On 01/12/2025 10:00, Alice Sender wrote:", ["From", "Sent", "To", "Subject"], "Sent from my iPhone", "-----Original Message-----"),
        ("zh", "谢谢，没问题。", $"{Address} 于2025年12月1日周一 10:00写道：", "在 2025/12/1 10:00, Alice Sender 写道:", ["发件人", "发送时间", "收件人", "主题"], "发自我的iPhone", "-----原始邮件-----"),
        ("es", "Gracias, perfecto.", $"El lun, 1 dic 2025 a las 10:00, {Address} escribió:", "El 01/12/2025 a las 10:00, Alice Sender escribió:", ["De", "Enviado el", "Para", "Asunto"], "Enviado desde mi iPhone", "-----Mensaje original-----"),
        ("pt", "Obrigado, combinado.", $"Em seg., 1 de dez. de 2025 às 10:00, {Address} escreveu:", "Em 01/12/2025 10:00, Alice Sender escreveu:", ["De", "Enviada em", "Para", "Assunto"], "Enviado do meu iPhone", "-----Mensagem original-----"),
        ("fr", "Merci, ça marche.", $"Le lun. 1 déc. 2025 à 10:00, {Address} a écrit :", "Le 01/12/2025 à 10:00, Alice Sender a écrit :", ["De", "Envoyé", "À", "Objet"], "Envoyé à partir de Outlook pour iOS", "-----Message d'origine-----"),
        ("de", "Danke, passt.", $"Am Mo., 1. Dez. 2025 um 10:00 Uhr schrieb {Address}:", "Am 01.12.2025 um 10:00 schrieb Alice Sender:", ["Von", "Gesendet", "An", "Betreff"], "Gesendet von Outlook für Android", "-----Ursprüngliche Nachricht-----"),
        ("ja", "ありがとうございます。", $"2025年12月1日(月) 10:00 {Address}:", $"2025/12/01 10:00、{Address}のメッセージ:", ["差出人", "送信日時", "宛先", "件名"], "iPhoneから送信", "-----元のメッセージ-----"),
        ("ru", "Спасибо, подходит.", $"пн, 1 дек. 2025 г. в 10:00, {Address}:", "01.12.2025 10:00, Alice Sender пишет:", ["От", "Отправлено", "Кому", "Тема"], "Отправлено с iPhone", "-----Исходное сообщение-----"),
        ("ko", "감사합니다.", $"2025년 12월 1일 (월) 오전 10:00, {Address}님이 작성:", "2025-12-01 10:00에 Alice Sender 이(가) 쓴 글:", ["보낸 사람", "보낸 날짜", "받는 사람", "제목"], "나의 iPhone에서 보냄", "-----원본 메시지-----"),
        ("it", "Grazie, va bene.", $"Il giorno lun 1 dic 2025 alle ore 10:00 {Address} ha scritto:", "In data 01/12/2025 10:00, Alice Sender ha scritto:", ["Da", "Inviato", "A", "Oggetto"], "Inviato da iPhone", "-----Messaggio originale-----"),
        ("nl", "Dank je, prima.", $"Op ma 1 dec 2025 om 10:00 schreef {Address}:", "Op 01-12-2025 om 10:00 schreef Alice Sender:", ["Van", "Verzonden", "Aan", "Onderwerp"], "Verzonden vanaf mijn iPhone", "-----Oorspronkelijk bericht-----"),
        ("pl", "Dzięki, pasuje.", $"pon., 1 gru 2025 o 10:00 {Address} napisał(a):", "W dniu 1.12.2025 o 10:00, użytkownik Alice Sender napisał:", ["Od", "Wysłano", "Do", "Temat"], "Wysłane z mojego iPhone", "-----Wiadomość oryginalna-----"),
        ("tr", "Teşekkürler, olur.", $"1 Ara 2025 Pzt, saat 10:00 tarihinde {Address} şunu yazdı:", "01.12.2025 10:00 tarihinde Alice Sender yazdı:", ["Kimden", "Gönderildi", "Kime", "Konu"], "iPhone'umdan gönderildi", "-----Özgün İleti-----"),
        ("ar", "شكرا، مناسب.", $"في الاثنين، 1 ديسمبر 2025 10:00 ص، كتب {Address}:", "في 01/12/2025 10:00، كتب Alice Sender:", ["من", "تم الإرسال", "إلى", "الموضوع"], "أُرسلت من iPhone", "-----الرسالة الأصلية-----"),
        ("id", "Terima kasih, cocok.", $"Pada tanggal Sen, 1 Des 2025 pukul 10.00 {Address} menulis:", "Pada 01/12/2025 10:00, Alice Sender menulis:", ["Dari", "Dikirim", "Kepada", "Subjek"], "Dikirim dari iPhone saya", "-----Pesan Asli-----"),
        ("vi", "Cảm ơn, được.", $"Vào Th 2, 1 thg 12, 2025 vào lúc 10:00 {Address} đã viết:", "Vào 01/12/2025 10:00, Alice Sender đã viết:", ["Từ", "Đã gửi", "Đến", "Chủ đề"], "Được gửi từ iPhone của tôi", "-----Thư gốc-----"),
        ("uk", "Дякую, підходить.", $"пн, 1 груд. 2025 р. о 10:00 {Address} пише:", "01.12.2025 10:00, Alice Sender написав:", ["Від", "Надіслано", "Кому", "Тема"], "Надіслано з iPhone", "-----Оригінальне повідомлення-----"),
        ("sv", "Tack, det passar.", $"Den mån 1 dec. 2025 kl 10:00 skrev {Address}:", "Den 2025-12-01 kl. 10:00, skrev Alice Sender:", ["Från", "Skickat", "Till", "Ämne"], "Skickat från min iPhone", "-----Ursprungligt meddelande-----"),
        ("cs", "Díky, hodí se.", $"po 1. 12. 2025 v 10:00 odesílatel {Address} napsal:", "Dne 01.12.2025 v 10:00 Alice Sender napsal(a):", ["Od", "Odesláno", "Komu", "Předmět"], "Odesláno z iPhonu", "-----Původní zpráva-----"),
        ("hu", "Köszönöm, jó.", $"{Address} ezt írta (időpont: 2025. dec. 1., H, 10:00):", "2025. 12. 01. 10:00 keltezéssel, Alice Sender írta:", ["Feladó", "Elküldve", "Címzett", "Tárgy"], "iPhone-ról küldve", "-----Eredeti üzenet-----"),
    ];

    public static TheoryData<string, string, string> Cases { get; } = Build();

    [Theory]
    [MemberData(nameof(Cases))]
    public void OwnText_LanguageCase_KeepsOnlyOwnText(string name, string body, string expected) =>
        Assert.True(string.Equals(expected, QuoteStripper.OwnText(body), StringComparison.Ordinal),
            $"{name}: got\n{QuoteStripper.OwnText(body)}");

    [Fact]
    public void Cases_TopTwentyLanguages_FiveEach()
    {
        Assert.Equal(ReplyLanguages.Table.Take(20).Select(l => l.Code), Languages.Select(l => l.Code));
        Assert.Equal(100, Cases.Count);
    }

    [Fact]
    public void Table_FortyLanguages_EachWithSourceAndPhrases()
    {
        Assert.Equal(40, ReplyLanguages.Table.Select(l => l.Code).Distinct().Count());
        Assert.All(ReplyLanguages.Table, l =>
        {
            Assert.True(l.Source.Contains("checked", StringComparison.Ordinal) || l.Source.Contains("unverified", StringComparison.Ordinal),
                $"{l.Code}: the source says neither what was checked nor that it is unverified");
            Assert.NotEmpty(l.Wrote);
            Assert.NotEmpty(l.FromLabels);
            Assert.NotEmpty(l.MobileSignatures);
        });
    }

    private static TheoryData<string, string, string> Build()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var l in Languages)
        {
            var header = $"{l.Labels[0]}: {Address}\n{l.Labels[1]}: 2025-12-01 10:00\n{l.Labels[2]}: Me <me@example.com>\n{l.Labels[3]}: Budget";
            data.Add($"{l.Code}-gmail", ReplyBody.TopPost(l.Own, l.Gmail, Quote), l.Own);
            data.Add($"{l.Code}-thunderbird", ReplyBody.TopPost(l.Own, l.Thunderbird, Quote), l.Own);
            data.Add($"{l.Code}-outlook-header", ReplyBody.TopPost(l.Own, header, Original), l.Own);
            data.Add($"{l.Code}-mobile", ReplyBody.TopPost(l.Own, l.Mobile + "\n\n" + l.Thunderbird, Quote), l.Own);
            data.Add($"{l.Code}-original-message", ReplyBody.TopPost(l.Own, l.Separator + "\n" + header, Original), l.Own);
        }

        return data;
    }
}
