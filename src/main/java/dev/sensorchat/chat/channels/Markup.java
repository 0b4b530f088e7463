package dev.sensorchat.chat.channels;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bot writes a small Markdown subset: {@code **bold**}, {@code `code`} and lines. This turns it
 * into what each platform renders, escaping everything else, so user text can never inject markup.
 */
public final class Markup {

    private static final Pattern BOLD = Pattern.compile("\\*\\*(.+?)\\*\\*");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final String HOLD_START = "\uE000";
    private static final String HOLD_END = "\uE001";

    private Markup() {
    }

    /** Telegram's HTML parse mode. */
    public static String telegramHtml(String markdown) {
        String escaped = markdown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        // Code spans are set aside while bold is applied, so no tag lands inside <code>: Telegram
        // refuses a message with an entity within code. (Private-use marks hold their places.)
        escaped = escaped.replace(HOLD_START, "").replace(HOLD_END, "");
        List<String> spans = new ArrayList<>();
        Matcher code = CODE.matcher(escaped);
        StringBuilder held = new StringBuilder();
        while (code.find()) {
            code.appendReplacement(held, Matcher.quoteReplacement(HOLD_START + spans.size() + HOLD_END));
            spans.add(code.group(1).replace("**", ""));
        }
        code.appendTail(held);
        String html = BOLD.matcher(held).replaceAll("<b>$1</b>");
        for (int i = 0; i < spans.size(); i++) {
            html = html.replace(HOLD_START + i + HOLD_END, "<code>" + spans.get(i) + "</code>");
        }
        return html;
    }

    /** Slack mrkdwn: single asterisks for bold; &, < and > escaped. */
    public static String slack(String markdown) {
        String escaped = markdown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return BOLD.matcher(escaped).replaceAll("*$1*");
    }

    /** Teams Markdown: as written, with a blank line between lines (Teams joins single newlines). */
    public static String teams(String markdown) {
        return markdown.replace("\n", "\n\n");
    }

    /** Plain text, for logs and platforms without markup. */
    public static String plain(String markdown) {
        return CODE.matcher(BOLD.matcher(markdown).replaceAll("$1")).replaceAll("$1");
    }
}
