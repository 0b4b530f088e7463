package dev.sensorchat.chat.bot;

import dev.sensorchat.alerts.RuleScope;
import dev.sensorchat.chat.ChatDirectory;
import dev.sensorchat.chat.Texts;
import dev.sensorchat.chat.language.Intent;
import dev.sensorchat.chat.language.IntentType;
import dev.sensorchat.chat.language.TimeRange;
import dev.sensorchat.reports.ReportPeriod;
import dev.sensorchat.reports.ReportService;
import java.time.Clock;
import java.time.Instant;

/**
 * "report yesterday", "report for boiler-1 last week", "report tag greenhouse today": a fleet
 * report over whole hours, stored, summarised in the reply with a link to the full page.
 */
public final class ReportHandler implements Handler {

    private static final long HOUR_MS = 3_600_000L;

    private final ChatDirectory directory;
    private final ReportService reports;
    private final Clock clock;

    public ReportHandler(ChatDirectory directory, ReportService reports, Clock clock) {
        this.directory = directory;
        this.reports = reports;
        this.clock = clock;
    }

    @Override
    public boolean canHandle(Intent intent, Conversation conversation) {
        return intent.type() == IntentType.REPORT;
    }

    @Override
    public Turn handle(Intent intent, Conversation conversation) {
        TimeRange range = intent.range() != null ? intent.range() : TimeRange.find("yesterday", clock.instant()).orElseThrow().range();
        Instant from = Instant.ofEpochMilli(Math.floorDiv(range.from().toEpochMilli(), HOUR_MS) * HOUR_MS);
        Instant to = Instant.ofEpochMilli(-Math.floorDiv(-range.to().toEpochMilli(), HOUR_MS) * HOUR_MS);
        ReportPeriod period;
        try {
            period = new ReportPeriod(from, to);
        } catch (IllegalArgumentException e) {
            return Turn.say(Texts.cannotReport(e.getMessage()));
        }
        RuleScope scope = RuleScope.all();
        if (intent.device() != null) {
            if (directory.registry().find(intent.device()).isEmpty()) {
                return Turn.say(Texts.unknownDevice(intent.device(), directory.closest(intent.device())));
            }
            scope = RuleScope.device(intent.device());
        } else if (intent.scope() != null && intent.scope().kind() == RuleScope.Kind.TAG) {
            scope = intent.scope();
        }
        ReportService.StoredReport stored = reports.storeOnDemand(reports.build(period, scope));
        return Turn.say(Texts.report(stored.report(), range.label(), scope, stored.htmlLink()));
    }
}
