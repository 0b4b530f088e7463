package dev.sensorchat.stream;

import dev.sensorchat.devices.SilencePolicy;
import java.time.Duration;

/**
 * How a stream closes, flushes and checkpoints.
 *
 * @param allowedLateness    the oldest reading the parser accepts, relative to the enqueued time: an hour
 *                           is final (and leaves memory) once the stream is this far, plus a minute, past it
 * @param flushPeriod        a device's read model is written at most once per this much stream time: the
 *                           freshness of what queries see, traded against writes (and the reporting
 *                           lag the silence deadline allows for)
 * @param checkpointInterval stream time between checkpoints (bounds the segments a recovery reads)
 * @param checkpointSegments segments between checkpoints at most
 * @param shards             checkpoint shards: each a document, written when its devices changed
 * @param minuteTtl          retention of minute windows
 * @param hourTtl            retention of hourly rollups
 * @param segmentTtl         retention of segments (they are only read in a recovery)
 */
public record StreamSettings(Duration allowedLateness, Duration flushPeriod,
                             Duration checkpointInterval, int checkpointSegments, int shards, Duration minuteTtl,
                             Duration hourTtl, Duration segmentTtl, SilencePolicy silence) {

    public static StreamSettings defaults(Duration allowedLateness, Duration minuteTtl, Duration hourTtl, SilencePolicy silence) {
        return new StreamSettings(allowedLateness, silence.reportingLag(), Duration.ofSeconds(60), 300, 8, minuteTtl, hourTtl,
                Duration.ofDays(2), silence);
    }

    long evictAfterMs() {
        return allowedLateness.toMillis() + 60_000L;
    }
}
