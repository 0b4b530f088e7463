package dev.sensorchat.chat.channels;

import java.util.regex.Pattern;

/**
 * The bot writes a small Markdown subset: {@code **bold**}, {@code `code`} and lines. This turns it
 * into what each platform renders, escaping everything else, so user text can never inject markup.
 */
public final class Markup {

    private static final Pattern BOLD = Pattern.compile("\\*\\*(.+?)\\*\\*");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    private Markup() {
    }

    /** Telegram's HTML parse mode. */
    public static String telegramHtml(String markdown) {
        String escaped = markdown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return CODE.matcher(BOLD.matcher(escaped).replaceAll("<b>$1</b>")).replaceAll("<code>$1</code>");
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
