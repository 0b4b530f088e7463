package dev.sensorchat.alerts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Alert ids are derived from what opened the alert (device, rule, time of the opening reading),
 * so a replayed batch produces the same id and can never open a second alert.
 */
public final class AlertIds {

    private AlertIds() {
    }

    public static String of(String deviceId, String ruleId, long openedAtMs) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest((deviceId + '\n' + ruleId + '\n' + openedAtMs).getBytes(StandardCharsets.UTF_8));
            return "al-" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean isAlertId(String text) {
        return text != null && text.matches("al-[0-9a-f]{12}");
    }
}
