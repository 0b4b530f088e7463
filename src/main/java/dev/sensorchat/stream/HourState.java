package dev.sensorchat.stream;

/**
 * What a stream holds of one device's hour: the hour so far, the minutes still kept, and what of
 * it is already in the read model. Minutes are kept until no reading can reach them any more
 * (the allowed lateness), so a late reading updates the minute in memory and the next flush sets
 * it whole; what was flushed and then dropped is read back if a reading still arrives for it.
 */
final class HourState {

    /** What the stream knows of a read-model document. */
    enum Doc { ABSENT, PRESENT, UNKNOWN }

    final long start;
    final MetricSet hour = new MetricSet();
    final MetricSet[] minutes = new MetricSet[60];
    /** Minutes changed since the last flush. */
    long dirtyMinutes;
    /** Minutes the stored document holds. */
    long storedMinutes;
    /** Minutes held in {@link #minutes}. */
    long heldMinutes;
    /**
     * Per minute read back from the stored document, the position that document was at: a replay
     * can be behind what an earlier owner already stored, and those readings are in it already.
     */
    private long[] minuteBase; // null while no minute was read back: the common case, and one array less to touch
    boolean hourDirty;
    /** The highest position folded in. */
    long applied = -1;

    Doc minutesDoc;
    String minutesEtag;
    Doc hourDoc = Doc.ABSENT;
    String hourEtag;

    HourState(long start, Doc minutesDoc) {
        this.start = start;
        this.minutesDoc = minutesDoc;
    }

    /** The position the stored minute was at when read back, -1 when it was not. */
    long minuteBase(int minuteOfHour) {
        return minuteBase == null ? -1 : minuteBase[minuteOfHour];
    }

    void minuteBase(int minuteOfHour, long position) {
        if (minuteBase == null) {
            if (position == -1) {
                return;
            }
            minuteBase = new long[60];
            java.util.Arrays.fill(minuteBase, -1);
        }
        minuteBase[minuteOfHour] = position;
    }

    long end() {
        return start + 3_600_000L;
    }

    boolean dirty() {
        return hourDirty || dirtyMinutes != 0;
    }

    MetricSet minute(int minuteOfHour) {
        MetricSet minute = minutes[minuteOfHour];
        if (minute == null) {
            minute = new MetricSet();
            minutes[minuteOfHour] = minute;
            heldMinutes |= 1L << minuteOfHour;
        }
        return minute;
    }
}
