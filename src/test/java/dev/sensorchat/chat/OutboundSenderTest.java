package dev.sensorchat.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutboundSenderTest {

    @Test
    void aWebApiAnswerWithOkFalseIsARefusalEvenWithStatus200() {
        // Slack's Web API answers errors with 200 and "ok": false.
        assertEquals(Optional.of("channel_not_found"), OutboundSender.refusedInBody("{\"ok\":false,\"error\":\"channel_not_found\"}"));
        assertEquals(Optional.of("Bad Request: chat not found"),
                OutboundSender.refusedInBody("{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: chat not found\"}"));
        assertTrue(OutboundSender.refusedInBody("{\"ok\":true}").isEmpty());
        assertTrue(OutboundSender.refusedInBody("1").isEmpty(), "Teams' incoming webhook answers 1");
        assertTrue(OutboundSender.refusedInBody("{not json").isEmpty());
        assertTrue(OutboundSender.refusedInBody("").isEmpty());
    }
}
