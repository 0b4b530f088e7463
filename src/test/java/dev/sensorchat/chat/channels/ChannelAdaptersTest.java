package dev.sensorchat.chat.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sensorchat.common.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelAdaptersTest {

    @Test
    void slackSignatureMatchesSlacksOwnExample() {
        // The worked example of Slack's "Verifying requests from Slack" guide.
        String body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
                + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
                + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
                + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        assertEquals("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
                SlackChannel.sign("8f742231b10e8888abcd99yyyzzz85a5".getBytes(StandardCharsets.UTF_8), 1531420618, body));

        SlackChannel slack = new SlackChannel("8f742231b10e8888abcd99yyyzzz85a5", null, "https://slack.com/api", null);
        InboundRequest request = new InboundRequest(Map.of("X-Slack-Request-Timestamp", "1531420618",
                "X-Slack-Signature", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"), body);
        slack.verify(request, Instant.ofEpochSecond(1531420618 + 60));
        assertThrows(ChannelException.Unauthorized.class, () -> slack.verify(request, Instant.ofEpochSecond(1531420618 + 301)));
        assertThrows(ChannelException.Unauthorized.class, () -> slack.verify(new InboundRequest(request.headers(), body + "x"),
                Instant.ofEpochSecond(1531420618)));
        IncomingMessage message = slack.parse(request).orElseThrow();
        assertEquals("398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c", message.messageId());
        assertEquals("T1DC2JH3J:G8PSS9T3V", message.conversationId());
        assertEquals("roadrunner", message.userName());
    }

    @Test
    void genericSignatureIsWhatTheReadmeRecipeComputes() {
        // README: printf '%s' "$TS.$BODY" | openssl dgst -sha256 -hmac "$SECRET" -hex
        String body = "{\"messageId\":\"m-1\",\"conversationId\":\"ops\",\"userId\":\"ana\",\"text\":\"status boiler-1\"}";
        assertEquals("v1=a515dcc747b6e7d562786dc90aece77e8ef5337f6e01b78fdc4e958f88e6f59a",
                GenericChannel.sign("generic-test-secret-0123456789".getBytes(StandardCharsets.UTF_8), 1795341905, body));
    }

    @Test
    void constantTimeComparisonHandlesMissingValues() {
        assertTrue(Signatures.constantTimeEquals("abc", "abc"));
        assertFalse(Signatures.constantTimeEquals("abc", "abd"));
        assertFalse(Signatures.constantTimeEquals("abc", null));
        assertFalse(Signatures.constantTimeEquals("abc", "abcd"));
    }

    @Test
    void markupIsEscapedForEachPlatform() {
        String markdown = "**Boiler <1>** `al-01` & <script>";
        assertEquals("<b>Boiler &lt;1&gt;</b> <code>al-01</code> &amp; &lt;script&gt;", Markup.telegramHtml(markdown));
        assertEquals("*Boiler &lt;1&gt;* `al-01` &amp; &lt;script&gt;", Markup.slack(markdown));
        assertEquals("line one\n\nline two", Markup.teams("line one\nline two"));
        assertEquals("Boiler <1> al-01 & <script>", Markup.plain(markdown));
    }

    @Test
    void teamsMentionsAndHtmlAreStripped() {
        assertEquals("status boiler-1", TeamsChannel.plainText("<at>Sensorchat</at>&nbsp;status <b>boiler-1</b>"));
    }

    @Test
    void telegramUpdatesWithoutTextNeedNoAnswer() {
        TelegramChannel telegram = new TelegramChannel("s", "https://api.telegram.org", null);
        String sticker = "{\"update_id\": 7, \"message\": {\"message_id\": 1, \"date\": 1, \"chat\": {\"id\": 5}, \"sticker\": {}}}";
        assertTrue(telegram.parse(new InboundRequest(Map.of(), sticker)).isEmpty());
        String member = "{\"update_id\": 8, \"my_chat_member\": {}}";
        assertTrue(telegram.parse(new InboundRequest(Map.of(), member)).isEmpty());
        assertThrows(ChannelException.BadRequest.class, () -> telegram.parse(new InboundRequest(Map.of(), "{\"message\": {}}")));
        assertFalse(telegram.canNotify());
    }

    @Test
    void telegramGroupCommandsLoseTheBotNameAndEditsAreNotAnsweredTwice() {
        TelegramChannel telegram = new TelegramChannel("s", "https://api.telegram.org", null);
        String group = "{\"update_id\": 9, \"message\": {\"message_id\": 3, \"date\": 1, \"chat\": {\"id\": -100123, \"type\": \"supergroup\"},"
                + " \"from\": {\"id\": 42, \"username\": \"ana\"}, \"text\": \"/status@SensorchatBot boiler-1\"}}";
        assertEquals("/status boiler-1", telegram.parse(new InboundRequest(Map.of(), group)).orElseThrow().text());
        assertEquals("/help", TelegramChannel.withoutBotName("/help@SensorchatBot"));
        assertEquals("mail ana@example.org", TelegramChannel.withoutBotName("mail ana@example.org"), "only a leading command");
        assertEquals("/help@", TelegramChannel.withoutBotName("/help@"));

        String edited = "{\"update_id\": 10, \"edited_message\": {\"message_id\": 3, \"date\": 1, \"edit_date\": 2,"
                + " \"chat\": {\"id\": 5}, \"text\": \"status boiler-2\"}}";
        assertTrue(telegram.parse(new InboundRequest(Map.of(), edited)).isEmpty(), "the message was answered when it was sent");
    }

    @Test
    void telegramRepliesInAForumTopicStayInThatTopic() throws Exception {
        TelegramChannel telegram = new TelegramChannel("s", "https://api.telegram.org", "123:token");
        String topic = "{\"update_id\": 11, \"message\": {\"message_id\": 4, \"date\": 1, \"message_thread_id\": 77,"
                + " \"is_topic_message\": true, \"chat\": {\"id\": -100123, \"is_forum\": true}, \"text\": \"help\"}}";
        IncomingMessage message = telegram.parse(new InboundRequest(Map.of(), topic)).orElseThrow();
        var reply = Json.MAPPER.readTree(telegram.render(message, Reply.of("hello")).body());
        assertEquals(77, reply.get("message_thread_id").asLong());
        assertEquals(-100123, reply.get("chat_id").asLong());
        var notification = Json.MAPPER.readTree(telegram.outbound(message.address(), Reply.of("alert")).orElseThrow().body());
        assertEquals(77, notification.get("message_thread_id").asLong(), "notifications go to the topic too");

        String plain = "{\"update_id\": 12, \"message\": {\"message_id\": 5, \"date\": 1, \"chat\": {\"id\": 5}, \"text\": \"help\"}}";
        var direct = Json.MAPPER.readTree(telegram.render(telegram.parse(new InboundRequest(Map.of(), plain)).orElseThrow(), Reply.of("hi")).body());
        assertFalse(direct.has("message_thread_id"));
    }

    @Test
    void telegramNeverGetsMarkupInsideCodeNorMoreThanItsLimit() {
        assertEquals("<code>a b</code> <b>c</b>", Markup.telegramHtml("`a **b**` **c**"));
        assertEquals("<b>x <code>y</code></b>", Markup.telegramHtml("**x `y`**"));

        String longAnswer = ("**device** `d-1` reading & more\n").repeat(400); // about 12,000 characters
        String fitted = TelegramChannel.fitted(longAnswer);
        assertTrue(Markup.plain(fitted).length() <= TelegramChannel.MAX_TEXT, "fits");
        assertTrue(Markup.plain(fitted).length() > TelegramChannel.MAX_TEXT - 100, "keeps as much as fits");
        assertTrue(fitted.endsWith("(cut: the answer is longer than Telegram allows)"));
        assertEquals(0, Markup.telegramHtml(fitted).split("<b>", -1).length - Markup.telegramHtml(fitted).split("</b>", -1).length,
                "cut at a line end: every tag is closed");
        assertEquals("short", TelegramChannel.fitted("short"));

        String oneHugeLine = "🙂".repeat(3000); // 6,000 UTF-16 units, no line end
        String cut = TelegramChannel.fitted(oneHugeLine);
        assertTrue(cut.length() <= TelegramChannel.MAX_TEXT);
        assertFalse(Character.isHighSurrogate(cut.charAt(cut.indexOf('\n') - 1)), "no half emoji");
    }

    @Test
    void genericMessagesNeedWellFormedIds() {
        GenericChannel generic = new GenericChannel("secret", null);
        assertThrows(ChannelException.BadRequest.class, () -> generic.parse(new InboundRequest(Map.of(),
                "{\"messageId\": \"a b\", \"conversationId\": \"c\", \"userId\": \"u\", \"text\": \"hi\"}")));
        assertThrows(ChannelException.BadRequest.class, () -> generic.parse(new InboundRequest(Map.of(),
                "{\"messageId\": \"a\", \"conversationId\": \"c\", \"userId\": \"u\", \"text\": 7}")));
        assertTrue(generic.outbound(new ReplyAddress("generic", Map.of("conversationId", "c")), Reply.of("hi")).isEmpty(), "no callback configured");
    }

    private static final String SLACK_EVENT = "{\"type\": \"event_callback\", \"team_id\": \"T1\", \"event_id\": \"Ev1\", \"event_time\": 5,"
            + " \"event\": {\"type\": \"app_mention\", \"user\": \"U1\", \"text\": \"<@U0BOT|sensorchat> status kiln-1\","
            + " \"channel\": \"C1\", \"ts\": \"2.0\", \"thread_ts\": \"1.0\"}}";

    @Test
    void slackEventsAreAnsweredInTheirThreadWithChatPostMessage() throws Exception {
        SlackChannel slack = new SlackChannel("s", null, "https://slack.test/api", "xoxb-1");
        IncomingMessage mention = slack.parse(new InboundRequest(Map.of(), SLACK_EVENT)).orElseThrow();
        assertEquals("status kiln-1", mention.text(), "the bot's mention is not part of the command");
        assertEquals("Ev1", mention.messageId(), "retries repeat the event id");
        assertEquals("T1:C1", mention.conversationId(), "the same conversation as the channel's slash commands");

        ChannelResponse response = slack.render(mention, new Reply("**hot**", List.of(new Reply.Choice("Yes", "yes"))));
        assertEquals("{}", response.body(), "the HTTP answer is not shown by Slack");
        OutboundMessage post = response.followUps().get(0);
        assertEquals("https://slack.test/api/chat.postMessage", post.url());
        assertEquals("Bearer xoxb-1", post.headers().get("Authorization"));
        assertFalse(post.bestEffort(), "the reply must arrive");
        var body = Json.MAPPER.readTree(post.body());
        assertEquals("C1", body.get("channel").asText());
        assertEquals("1.0", body.get("thread_ts").asText(), "asked in a thread, answered there");
        assertEquals("*hot*", body.get("text").asText());
        assertEquals("yes", body.get("blocks").get(1).get("elements").get(0).get("value").asText());
        assertFalse(post.toString().contains("xoxb"), "the token is never in logs");

        SlackChannel withoutToken = new SlackChannel("s", "https://hooks.slack.test/x", "https://slack.test/api", null);
        assertThrows(ChannelException.NotConfigured.class, () -> withoutToken.parse(new InboundRequest(Map.of(), SLACK_EVENT)));
        assertThrows(ChannelException.BadRequest.class, () -> slack.parse(new InboundRequest(Map.of(),
                "{\"type\": \"event_callback\", \"event\": {\"type\": \"app_mention\"}}")));
        assertTrue(slack.parse(new InboundRequest(Map.of(), "{\"type\": \"app_rate_limited\", \"minute_rate_limited\": 1}")).isEmpty());
    }

    @Test
    void slackNotificationsGoToTheConversationWithTheBotTokenElseToTheIncomingWebhook() throws Exception {
        ReplyAddress address = new ReplyAddress("slack", Map.of("channelId", "C9", "via", "command"));
        SlackChannel withToken = new SlackChannel("s", "https://hooks.slack.test/x", "https://slack.test/api", "xoxb-1");
        OutboundMessage toConversation = withToken.outbound(address, Reply.of("alert")).orElseThrow();
        assertEquals("https://slack.test/api/chat.postMessage", toConversation.url());
        assertEquals("C9", Json.MAPPER.readTree(toConversation.body()).get("channel").asText());

        SlackChannel webhookOnly = new SlackChannel("s", "https://hooks.slack.test/x", "https://slack.test/api", null);
        assertEquals("https://hooks.slack.test/x", webhookOnly.outbound(address, Reply.of("alert")).orElseThrow().url());
        assertFalse(new SlackChannel("s", null, "https://slack.test/api", null).canNotify());
    }

    @Test
    void slackSplitsLongRepliesIntoSectionsItAccepts() {
        String longReply = ("• `d-1` temperature 21.5 · humidity 40\n").repeat(300); // about 11,000 characters
        var blocks = SlackChannel.content(Reply.of(longReply)).get("blocks");
        assertTrue(blocks.size() >= 4);
        StringBuilder joined = new StringBuilder();
        for (var block : blocks) {
            String text = block.get("text").get("text").asText();
            assertTrue(text.length() <= SlackChannel.MAX_SECTION, "section of " + text.length());
            joined.append(text).append('\n');
        }
        assertEquals(Markup.slack(longReply).strip(), joined.toString().strip(), "nothing lost between sections");
    }

    @Test
    void slackInteractionsOtherThanButtonsNeedNoAnswer() {
        SlackChannel slack = new SlackChannel("s", null, "https://slack.test/api", null);
        String submission = "payload=" + java.net.URLEncoder.encode("{\"type\": \"view_submission\", \"trigger_id\": \"1\"}",
                StandardCharsets.UTF_8);
        assertTrue(slack.parse(new InboundRequest(Map.of(), submission)).isEmpty());
        assertThrows(ChannelException.BadRequest.class, () -> slack.parse(new InboundRequest(Map.of(), "payload=%7Bnot")));
    }

    @Test
    void telegramButtonsCarryTheirCommandWhereItFits() throws Exception {
        TelegramChannel telegram = new TelegramChannel("s", "https://api.telegram.org", null);
        String plain = "{\"update_id\": 13, \"message\": {\"message_id\": 5, \"date\": 1, \"chat\": {\"id\": 5}, \"text\": \"help\"}}";
        IncomingMessage message = telegram.parse(new InboundRequest(Map.of(), plain)).orElseThrow();
        String tooLong = "ack " + "x".repeat(TelegramChannel.MAX_CALLBACK_DATA);
        var call = Json.MAPPER.readTree(telegram.render(message, new Reply("**alert**",
                List.of(new Reply.Choice("Acknowledge", "ack al-1"), new Reply.Choice("Long", tooLong)))).body());
        var row = call.get("reply_markup").get("inline_keyboard").get(0);
        assertEquals(1, row.size(), "a command longer than callback_data allows stays in the text only");
        assertEquals("ack al-1", row.get(0).get("callback_data").asText());
        assertTrue(telegram.render(message, Reply.of("hi")).followUps().isEmpty());

        String inlineModePress = "{\"update_id\": 14, \"callback_query\": {\"id\": \"q\", \"from\": {\"id\": 1},"
                + " \"inline_message_id\": \"i\", \"data\": \"yes\"}}";
        assertTrue(telegram.parse(new InboundRequest(Map.of(), inlineModePress)).isEmpty(), "not under a message of ours");
        String editedPost = "{\"update_id\": 15, \"edited_channel_post\": {\"message_id\": 1, \"date\": 1, \"chat\": {\"id\": -100},"
                + " \"text\": \"status\"}}";
        assertTrue(telegram.parse(new InboundRequest(Map.of(), editedPost)).isEmpty());
    }

    @Test
    void aTeamsThreadsAudienceIsItsChannel() {
        TeamsChannel teams = new TeamsChannel("c2VjcmV0", null);
        String thread = "{\"type\": \"message\", \"id\": \"1\", \"text\": \"help\","
                + " \"conversation\": {\"id\": \"19:abc@thread.tacv2;messageid=1485983194839\"}}";
        IncomingMessage message = teams.parse(new InboundRequest(Map.of(), thread)).orElseThrow();
        assertEquals("19:abc@thread.tacv2;messageid=1485983194839", message.conversationId());
        assertEquals("19:abc@thread.tacv2", message.audienceId());
        String chat = thread.replace(";messageid=1485983194839", "");
        assertEquals("19:abc@thread.tacv2", teams.parse(new InboundRequest(Map.of(), chat)).orElseThrow().audienceId());
        assertThrows(ChannelException.BadRequest.class, () -> teams.parse(new InboundRequest(Map.of(),
                thread.replace("\"help\"", "\"help\", \"timestamp\": \"yesterday\""))));
    }
}
