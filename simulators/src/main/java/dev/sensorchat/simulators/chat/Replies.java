package dev.sensorchat.simulators.chat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns the platforms' reply markup into text a terminal shows well. */
final class Replies {

    private static final Pattern NUMERIC_ENTITY = Pattern.compile("&#(x?)([0-9A-Fa-f]+);");

    private Replies() {
    }

    /** Telegram's HTML parse mode as plain text: tags dropped, entities decoded. */
    static String fromHtml(String html) {
        String text = html.replaceAll("(?i)<br\\s*/?>", "\n").replaceAll("<[^>]*>", "");
        Matcher numeric = NUMERIC_ENTITY.matcher(text);
        StringBuilder decoded = new StringBuilder();
        while (numeric.find()) {
            int codePoint = Integer.parseInt(numeric.group(2), numeric.group(1).isEmpty() ? 10 : 16);
            numeric.appendReplacement(decoded, Matcher.quoteReplacement(Character.toString(codePoint)));
        }
        numeric.appendTail(decoded);
        // &amp; last, so "&amp;lt;" stays the literal text "&lt;".
        return decoded.toString().replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&nbsp;", " ").replace("&amp;", "&");
    }

    /** Slack mrkdwn escapes only &, < and >. */
    static String fromSlack(String mrkdwn) {
        return mrkdwn.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    /** Teams joins single newlines, so the bot sends blank lines between lines; one is enough here. */
    static String fromTeams(String markdown) {
        return markdown.replace("\n\n", "\n");
    }

    /** {@code prefix} before the first line and the following lines indented under it. */
    static String prefixed(String prefix, String text) {
        return prefix + text.strip().replace("\n", "\n" + " ".repeat(prefix.length()));
    }
}
