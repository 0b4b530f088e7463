package dev.sensorchat.stream;

import dev.sensorchat.devices.SilencePolicy;
import java.time.Duration;

/**
 * How a stream closes, flushes and checkpoints.
 *
 * @param grace              a device's minute closes once the device reports this much past its end
 *                           (out-of-order readings within it still land before the minute is written)
 * @param quietClose         a device silent this long (stream time) has its open minute closed and written
 * @param allowedLateness    the oldest reading the parser accepts, relative to the enqueued time: an hour
 *                           is final (and leaves memory) once the stream is this far, plus a minute, past it
 * @param flushPeriod        changes that do not close a minute (late readings) wait at most this long
 * @param checkpointInterval stream time between checkpoints (bounds the segments a recovery reads)
 * @param checkpointSegments segments between checkpoints at most
 * @param shards             checkpoint shards: each a document, written when its devices changed
 * @param minuteTtl          retention of minute windows
 * @param hourTtl            retention of hourly rollups
 * @param segmentTtl         retention of segments (they are only read in a recovery)
 */
public record StreamSettings(Duration grace, Duration quietClose, Duration allowedLateness, Duration flushPeriod,
                             Duration checkpointInterval, int checkpointSegments, int shards, Duration minuteTtl,
                             Duration hourTtl, Duration segmentTtl, SilencePolicy silence) {

    public static StreamSettings defaults(Duration allowedLateness, Duration minuteTtl, Duration hourTtl, SilencePolicy silence) {
        return new StreamSettings(Duration.ofSeconds(5), Duration.ofSeconds(30), allowedLateness, Duration.ofSeconds(60),
                Duration.ofSeconds(60), 300, 8, minuteTtl, hourTtl, Duration.ofDays(2), silence);
    }

    long evictAfterMs() {
        return allowedLateness.toMillis() + 60_000L;
    }
}
