using ReplyDrafter.Mail;

namespace ReplyDrafter.Tests.Mail;

/// <summary>
/// Reply-trimming corpus: one row per client and language, each the body as the client writes it and the text a
/// reader should see. Built by hand from the clients' documented reply formats; no real mail.
/// </summary>
public sealed class QuoteCorpusTests
{
    private const string Own = "Thanks, that works for me.\nLet's go ahead.";

    public static TheoryData<string, string, string> Cases { get; } = Build();

    [Theory]
    [MemberData(nameof(Cases))]
    public void OwnText_CorpusCase_MatchesExpected(string name, string body, string expected) =>
        Assert.True(string.Equals(expected, QuoteStripper.OwnText(body), StringComparison.Ordinal),
            $"{name}: got\n{QuoteStripper.OwnText(body)}");

    private static TheoryData<string, string, string> Build()
    {
        var data = new TheoryData<string, string, string>();

        void Add(string name, string tail, string? own = null, string? expected = null) =>
            data.Add(name, (own ?? Own) + "\n\n" + tail, expected ?? own ?? Own);

        const string Quote = "> Can we meet on Tuesday?\n> Best, Alice";
        const string Old = "Can we meet on Tuesday?\n\nBest, Alice";

        // Outlook reply header blocks (desktop, with and without the separator line), per language.
        const string Line = "________________________________\n";
        Add("outlook-en", Line + "From: Alice Sender <alice@example.com>\nSent: Monday, December 1, 2025 10:00 AM\nTo: Me <me@example.com>\nSubject: Budget\n\n" + Old);
        Add("outlook-en-no-line", "From: Alice Sender [mailto:alice@example.com]\nSent: Monday, December 1, 2025 10:00 AM\nTo: Me\nCc: Bob\nSubject: RE: Budget\n\n" + Old);
        Add("outlook-en-bold", "*From:* Alice Sender <alice@example.com>\n*Sent:* Monday, December 1, 2025 10:00 AM\n*To:* Me\n*Subject:* Budget\n\n" + Old);
        Add("outlook-en-date", Line + "From: Alice Sender <alice@example.com>\nDate: Monday, 1 December 2025 at 10:00\nTo: Me <me@example.com>\nSubject: Budget\n\n" + Old);
        Add("outlook-de", Line + "Von: Alice Sender <alice@example.com>\nGesendet: Montag, 1. Dezember 2025 10:00\nAn: Ich <me@example.com>\nBetreff: Budget\n\n" + Old, "Danke, passt.\nBis Dienstag.");
        Add("outlook-fr", Line + "De : Alice Sender <alice@example.com>\nEnvoyé : lundi 1 décembre 2025 10:00\nÀ : Moi <me@example.com>\nObjet : Budget\n\n" + Old, "Merci, cela me convient.");
        Add("outlook-es", Line + "De: Alice Sender <alice@example.com>\nEnviado el: lunes, 1 de diciembre de 2025 10:00\nPara: Yo <me@example.com>\nAsunto: Presupuesto\n\n" + Old, "Gracias, me parece bien.");
        Add("outlook-it", Line + "Da: Alice Sender <alice@example.com>\nInviato: lunedì 1 dicembre 2025 10:00\nA: Io <me@example.com>\nOggetto: Budget\n\n" + Old, "Grazie, va bene.");
        Add("outlook-it-data", "Da: Alice Sender <alice@example.com>\nData: lunedì 1 dicembre 2025 10:00\nA: Io <me@example.com>\nOggetto: Budget\n\n" + Old, "Grazie, va bene.");
        Add("outlook-nl", Line + "Van: Alice Sender <alice@example.com>\nVerzonden: maandag 1 december 2025 10:00\nAan: Ik <me@example.com>\nOnderwerp: Budget\n\n" + Old, "Dank je, dat is goed.");
        Add("outlook-pt", Line + "De: Alice Sender <alice@example.com>\nEnviada em: segunda-feira, 1 de dezembro de 2025 10:00\nPara: Eu <me@example.com>\nAssunto: Orçamento\n\n" + Old, "Obrigado, combinado.");
        Add("outlook-pt-enviado", "De: Alice Sender <alice@example.com>\nEnviado: segunda-feira, 1 de dezembro de 2025 10:00\nPara: Eu\nAssunto: Orçamento\n\n" + Old, "Obrigado, combinado.");
        Add("outlook-ru", Line + "От: Alice Sender <alice@example.com>\nОтправлено: 1 декабря 2025 г. 10:00\nКому: Я <me@example.com>\nТема: Бюджет\n\n" + Old, "Спасибо, подходит.");
        Add("outlook-ja", Line + "差出人: Alice Sender <alice@example.com>\n送信日時: 2025年12月1日 10:00\n宛先: 私 <me@example.com>\n件名: 予算\n\n" + Old, "ありがとうございます。それで大丈夫です。");
        Add("outlook-zh", Line + "发件人: Alice Sender <alice@example.com>\n发送时间: 2025年12月1日 10:00\n收件人: 我 <me@example.com>\n主题: 预算\n\n" + Old, "谢谢，没问题。");
        Add("outlook-zh-fullwidth", "发件人：Alice Sender <alice@example.com>\n发送时间：2025年12月1日 10:00\n收件人：我\n主题：预算\n\n" + Old, "谢谢，没问题。");
        Add("outlook-zh-tw", "寄件者: Alice Sender <alice@example.com>\n寄件日期: 2025年12月1日 10:00\n收件者: 我\n主旨: 預算\n\n" + Old, "謝謝，沒問題。");

        Add("outlook-en-long-cc", Line + "From: Alice Sender <alice@example.com>\nSent: Monday, December 1, 2025 10:00 AM\nTo: Me <me@example.com>\nCc: Bob <bob@example.com>; Carol <carol@example.com>;\n Dan <dan@example.com>\nSubject: Budget\n\n" + Old);
        Add("outlook-fr-nbsp", "De\u00A0: Alice Sender <alice@example.com>\nEnvoyé\u00A0: lundi 1 décembre 2025 10:00\nÀ\u00A0: Moi\nObjet\u00A0: Budget\n\n" + Old, "Merci.");

        // "-----Original Message-----" and forwarded-message separators.
        Add("original-en", "-----Original Message-----\nFrom: Alice\nSent: Monday\nSubject: Budget\n\n" + Old);
        Add("original-en-short", "-----Original Message-----\n" + Old);
        Add("original-thunderbird", "-------- Original Message --------\nSubject: Budget\nDate: Mon, 1 Dec 2025 10:00:00 +0100\nFrom: Alice\n\n" + Old);
        Add("original-de", "-----Ursprüngliche Nachricht-----\nVon: Alice\nGesendet: Montag\nBetreff: Budget\n\n" + Old, "Danke, passt.");
        Add("original-de-tb", "-------- Original-Nachricht --------\nBetreff: Budget\nDatum: 01.12.2025 10:00\nVon: Alice\n\n" + Old, "Danke, passt.");
        Add("original-fr", "-----Message d'origine-----\nDe : Alice\n\n" + Old, "Merci, ça marche.");
        Add("original-es", "-----Mensaje original-----\nDe: Alice\n\n" + Old, "Gracias.");
        Add("original-it", "-----Messaggio originale-----\nDa: Alice\n\n" + Old, "Grazie.");
        Add("original-nl", "-----Oorspronkelijk bericht-----\nVan: Alice\n\n" + Old, "Dank je.");
        Add("original-pt", "-----Mensagem original-----\nDe: Alice\n\n" + Old, "Obrigado.");
        Add("original-ru", "-----Исходное сообщение-----\nОт: Alice\n\n" + Old, "Спасибо.");
        Add("gmail-forwarded", "---------- Forwarded message ---------\nFrom: Alice <alice@example.com>\nDate: Mon, Dec 1, 2025 at 10:00 AM\nSubject: Budget\n\n" + Old, "FYI, see below.");

        // Gmail / Apple Mail / Thunderbird attributions, per language.
        Add("gmail-en", "On Mon, Dec 1, 2025 at 10:00 AM Alice Sender <alice@example.com> wrote:\n\n" + Quote);
        Add("gmail-en-wrapped", "On Mon, Dec 1, 2025 at 10:00 AM Alice Sender <alice@example.com>\nwrote:\n\n" + Quote);
        Add("gmail-en-mailto", "On Mon, Dec 1, 2025 at 10:00 AM, Alice Sender <alice@example.com\n<mailto:alice@example.com>> wrote:\n\n" + Quote);
        Add("gmail-en-mailto-3lines", "On Mon, Dec 1, 2025 at 10:00 AM, Alice Sender <\nalice@example.com <mailto:alice@example.com>>\nwrote:\n\n" + Quote);
        Add("apple-en", "On Dec 1, 2025, at 10:00, Alice Sender <alice@example.com> wrote:\n\n" + Quote);
        Add("thunderbird-en", "On 01/12/2025 10:00, Alice Sender wrote:\n" + Quote);
        Add("at-you-wrote", "At 6/16/2016 08:32 PM, you wrote:\n" + Quote);
        Add("date-first-gmail", "2016-03-03 17:21 GMT+01:00 Some One <some.one@example.com>:\n\n" + Quote);
        Add("date-first-dotted", "03.03.2016 17:21, Some One <some.one@example.com>:\n" + Quote);
        Add("gmail-de", "Am Mo., 1. Dez. 2025 um 10:00 Uhr schrieb Alice Sender <alice@example.com>:\n\n" + Quote, "Danke, passt.");
        Add("thunderbird-de", "Am 01.12.2025 um 10:00 schrieb Alice Sender:\n" + Quote, "Danke, passt.");
        Add("gmail-fr", "Le lun. 1 déc. 2025 à 10:00, Alice Sender <alice@example.com> a écrit :\n\n" + Quote, "Merci, ça marche.");
        Add("thunderbird-fr", "Le 01/12/2025 à 10:00, Alice Sender a écrit :\n" + Quote, "Merci, ça marche.");
        Add("gmail-es", "El lun, 1 dic 2025 a las 10:00, Alice Sender (<alice@example.com>) escribió:\n\n" + Quote, "Gracias, perfecto.");
        Add("gmail-it", "Il giorno lun 1 dic 2025 alle ore 10:00 Alice Sender <alice@example.com> ha scritto:\n\n" + Quote, "Grazie, va bene.");
        Add("apple-it", "Il giorno 1 dic 2025, alle ore 10:00, Alice Sender <alice@example.com> ha scritto:\n\n" + Quote, "Grazie, va bene.");
        Add("gmail-nl", "Op ma 1 dec 2025 om 10:00 schreef Alice Sender <alice@example.com>:\n\n" + Quote, "Dank je, prima.");
        Add("gmail-pt", "Em seg., 1 de dez. de 2025 às 10:00, Alice Sender <alice@example.com> escreveu:\n\n" + Quote, "Obrigado, combinado.");
        Add("gmail-ru", "пн, 1 дек. 2025 г. в 10:00, Alice Sender <alice@example.com>:\n\n" + Quote, "Спасибо, подходит.");
        Add("thunderbird-ru", "01.12.2025 10:00, Alice Sender пишет:\n" + Quote, "Спасибо, подходит.");
        Add("gmail-ja", "2025年12月1日(月) 10:00 Alice Sender <alice@example.com>:\n\n" + Quote, "ありがとうございます。");
        Add("apple-ja", "2025/12/01 10:00、Alice Sender <alice@example.com>のメッセージ:\n\n" + Quote, "ありがとうございます。");
        Add("gmail-zh", "Alice Sender <alice@example.com> 于2025年12月1日周一 上午10:00写道：\n\n" + Quote, "谢谢，没问题。");
        Add("gmail-zh-tw", "Alice Sender <alice@example.com> 於 2025年12月1日 週一 上午10:00寫道：\n\n" + Quote, "謝謝，沒問題。");

        Add("gmail-fr-wrapped-mid-phrase", "Le lun. 1 déc. 2025 à 10:00, Alice Sender <alice@example.com> a\nécrit :\n\n" + Quote, "Merci.");
        Add("unprefixed-quote-after-attribution", "On Mon, Dec 1, 2025 at 10:00 AM Alice <alice@example.com> wrote:\n\n" + Old);

        // Inline answers between quotes: the attribution goes, the answers stay.
        data.Add("inline-en",
            "On Mon, Dec 1, 2025 at 10:00 AM Alice <alice@example.com> wrote:\n> Tuesday?\nYes, Tuesday.\n> Room?\nRoom 4.",
            "Yes, Tuesday.\nRoom 4.");

        // Signatures.
        Add("sig-dashdash", "-- \nBob Builder\nACME Corp");
        Add("mobile-iphone", "Sent from my iPhone");
        Add("mobile-outlook", "Get Outlook for iOS");
        Add("mobile-de", "Von meinem iPhone gesendet", "Danke, passt.");
        Add("mobile-fr", "Envoyé de mon iPhone", "Merci.");
        Add("mobile-es", "Enviado desde mi iPhone", "Gracias.");
        Add("mobile-it", "Inviato da iPhone", "Grazie.");
        Add("mobile-nl", "Verzonden vanaf mijn iPhone", "Dank je.");
        Add("mobile-pt", "Enviado do meu iPhone", "Obrigado.");
        Add("mobile-ru", "Отправлено с iPhone", "Спасибо.");
        Add("mobile-ja", "iPhoneから送信", "ありがとうございます。");
        Add("mobile-zh", "发自我的iPhone", "谢谢。");
        Add("mobile-then-quote", "Sent from my iPhone\n\nOn Dec 1, 2025, at 10:00, Alice <alice@example.com> wrote:\n\n" + Quote);

        // Notification footers and Gmail's tracking glyph.
        Add("github-footer", "—\nReply to this email directly, view it on GitHub, or unsubscribe.\nYou are receiving this because you were mentioned.Message ID: <org/repo/issues/1@github.com>\n[{\"@context\":\"http://schema.org\",\"@type\":\"EmailMessage\",\"potentialAction\":{\"@type\":\"ViewAction\"}}]", "I can reproduce this on main.");
        Add("github-footer-old", "—\nReply to this email directly or view it on GitHub:\nhttps://github.com/org/repo/issues/1#issuecomment-1", "I can reproduce this on main.");
        Add("gitlab-footer", "—\nReply to this email directly or view it on GitLab.\nYou're receiving this email because of your account on gitlab.com.", "Merged, thanks.");
        Add("json-ld-alone", "{\"@context\": \"http://schema.org\", \"@type\": \"EmailMessage\"}", "Merged, thanks.");
        data.Add("gmail-tracking-glyph", Own + "\nᐧ", Own);
        data.Add("gmail-tracking-glyph-before-quote", Own + "\nᐧ\n\nOn Mon, Dec 1, 2025 at 10:00 AM Alice <alice@example.com> wrote:\n" + Quote, Own);

        // Text that must stay: no quote at all, a "wrote:" in prose with nothing quoted after, an email address line.
        data.Add("plain-no-quote", "Hi Bob,\n\nThe meeting is at 10.\n\nRegards,\nAlice", "Hi Bob,\n\nThe meeting is at 10.\n\nRegards,\nAlice");
        data.Add("from-in-prose", "From: the board's point of view this is fine.\nPlease sign.", "From: the board's point of view this is fine.\nPlease sign.");
        return data;
    }
}
