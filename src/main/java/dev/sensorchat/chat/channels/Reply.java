package dev.sensorchat.chat.channels;

import java.util.List;

/**
 * What the bot says, before any platform's formatting: small Markdown (see {@link Markup}), and
 * the choices it offers. A platform with buttons shows each choice as one; pressing it sends the
 * choice's command as if the user had typed it, so a button can never do what a message cannot.
 */
public record Reply(String markdown, List<Choice> choices) {

    /** A button: its label, and the command it stands for ({@code yes}, {@code ack al-…}). */
    public record Choice(String label, String command) {
    }

    public Reply {
        choices = List.copyOf(choices);
    }

    public static Reply of(String markdown) {
        return new Reply(markdown, List.of());
    }

    public Reply withChoices(List<Choice> offered) {
        return new Reply(markdown, offered);
    }

    public Reply prefixed(String note) {
        return new Reply(note + markdown, choices);
    }
}
