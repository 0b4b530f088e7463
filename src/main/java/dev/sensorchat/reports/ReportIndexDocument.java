package dev.sensorchat.reports;

import java.time.Instant;
import java.util.Map;

/**
 * The record of one stored report, in the {@code reports} container (partition key {@code id}).
 *
 * @param id          {@code daily-<yyyy-MM-dd>} for the daily fleet report; {@code adhoc-<hash>} for one built on demand
 * @param blobs       blob name per form: {@code json}, {@code csv}, {@code html}
 * @param trigger     {@code timer}, {@code timer-catch-up} (built late: the timer was past due or missed days), or {@code on-demand}
 * @param caughtUp    true when the report was built after its regular time
 * @param fleet       the report's fleet summary, for listing without opening the blobs
 */
public record ReportIndexDocument(String id, String kind, Instant from, Instant to, String scope, Map<String, String> blobs,
                                  Instant generatedAt, String trigger, boolean caughtUp, FleetReport.Fleet fleet) {

    public static final String DAILY = "daily";
    public static final String ON_DEMAND = "on-demand";
}
