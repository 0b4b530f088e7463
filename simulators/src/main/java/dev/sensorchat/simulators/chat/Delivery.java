package dev.sensorchat.simulators.chat;

import java.util.Map;

/** One webhook request as a platform sends it: content type, raw body and signature headers. */
record Delivery(String contentType, String body, Map<String, String> headers) {

    Delivery {
        headers = Map.copyOf(headers);
    }
}
