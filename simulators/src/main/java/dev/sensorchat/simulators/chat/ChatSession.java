package dev.sensorchat.simulators.chat;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

/** Sends messages to the webhook as one platform and prints what the bot answers. */
final class ChatSession {

    // Platforms give up quickly (Teams after 5 s); a cold Functions host may take longer, so be patient.
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_ERROR_BODY = 300;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI url;
    private final ChannelClient channel;
    private final Clock clock;
    private final PrintWriter out;
    private final PrintWriter err;
    private int failures;

    ChatSession(URI url, ChannelClient channel, Clock clock, PrintWriter out, PrintWriter err) {
        this.url = url;
        this.channel = channel;
        this.clock = clock;
        this.out = out;
        this.err = err;
    }

    /** Sends one message and prints the reply; false if the webhook could not be reached or refused it. */
    boolean say(String text) {
        Delivery delivery = channel.delivery(text, clock.instant());
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(TIMEOUT)
                .header("Content-Type", delivery.contentType())
                .POST(HttpRequest.BodyPublishers.ofString(delivery.body()));
        delivery.headers().forEach(request::header);
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return failed("could not reach " + url + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed("interrupted");
        }
        if (response.statusCode() / 100 != 2) {
            return failed("HTTP " + response.statusCode() + ": " + problem(response.body()));
        }
        channel.replyText(response.body()).ifPresent(reply -> {
            out.println(Replies.prefixed("bot: ", reply));
            out.flush();
        });
        return true;
    }

    int failures() {
        return failures;
    }

    private boolean failed(String why) {
        failures++;
        err.println("error: " + why);
        err.flush();
        return false;
    }

    /** The detail of a problem document, else the start of the body. */
    private static String problem(String body) {
        return Json.textField(body, "detail").orElseGet(() -> {
            String text = body == null ? "" : body.strip();
            return text.length() > MAX_ERROR_BODY ? text.substring(0, MAX_ERROR_BODY) + "…" : text;
        });
    }
}
