package dev.sensorchat.chat.channels;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongFunction;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 and constant-time comparison, for verifying webhook deliveries. */
public final class Signatures {

    private Signatures() {
    }

    public static byte[] hmacSha256(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    /**
     * Verifies a timestamped HMAC scheme (generic, Slack): both headers present, the timestamp (Unix
     * seconds) within {@code maxSkew} of now, and the signature equal to {@code expected} of it.
     */
    public static void verifyTimestamped(InboundRequest request, String timestampHeader, String signatureHeader, Instant now,
                                         Duration maxSkew, LongFunction<String> expected) {
        String timestampText = request.header(timestampHeader)
                .orElseThrow(() -> new ChannelException.Unauthorized("missing " + timestampHeader));
        String signature = request.header(signatureHeader)
                .orElseThrow(() -> new ChannelException.Unauthorized("missing " + signatureHeader));
        long timestamp;
        try {
            timestamp = Long.parseLong(timestampText);
        } catch (NumberFormatException e) {
            throw new ChannelException.Unauthorized(timestampHeader + " is not Unix seconds");
        }
        if (Math.abs(now.getEpochSecond() - timestamp) > maxSkew.toSeconds()) {
            throw new ChannelException.Unauthorized("timestamp outside the " + maxSkew.toMinutes() + "-minute window");
        }
        if (!constantTimeEquals(expected.apply(timestamp), signature)) {
            throw new ChannelException.Unauthorized("signature does not match");
        }
    }

    /**
     * Compares in time that depends only on the lengths, never on where the first difference is,
     * so a forger learns nothing from response times.
     */
    public static boolean constantTimeEquals(String expected, String actual) {
        if (expected == null || actual == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
    }
}
