package dev.sensorchat.stream;

import java.util.List;
import java.util.Map;

/**
 * What the stream learned about a device from its document (tags, an offline alert, alerts
 * resolved by hand), applied before a batch's readings and recorded in its segment so a replay
 * applies it at the same point.
 */
record DeviceFact(String deviceId, List<String> tags, String offlineAlertId, long offlineSince, Map<String, String> handResolved) {
}
