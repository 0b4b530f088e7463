package dev.sensorchat.telemetry;

/**
 * One String per device id, per thread: a fleet's ids repeat in every batch, so the parser looks
 * the characters up here instead of building a new String for each event (whose hash would then be
 * computed again by every map it meets). A small open-addressed table; a miss builds the String.
 */
final class DeviceIds {

    private static final int SLOT_BITS = 15;
    private static final int MAX_LENGTH = 128;
    private static final ThreadLocal<String[]> TABLES = ThreadLocal.withInitial(() -> new String[1 << SLOT_BITS]);

    private DeviceIds() {
    }

    /** The id as a String (the same instance as before when it is in the table), or null when too long to be an id. */
    static String intern(char[] buffer, int offset, int length) {
        if (length > MAX_LENGTH) {
            return null;
        }
        int hash = 0;
        for (int i = 0; i < length; i++) {
            hash = 31 * hash + buffer[offset + i];
        }
        String[] table = TABLES.get();
        // Fibonacci hashing: ids that differ in their last digits (most fleets) spread over the
        // whole table, where String's own hash would cluster them. Two slots per id.
        int slot = (hash * 0x9E3779B9) >>> (32 - SLOT_BITS);
        int other = slot ^ 1;
        String known = table[slot];
        if (known != null && matches(known, hash, buffer, offset, length)) {
            return known;
        }
        String second = table[other];
        if (second != null && matches(second, hash, buffer, offset, length)) {
            return second;
        }
        String id = new String(buffer, offset, length);
        if (known == null) {
            table[slot] = id;
        } else {
            table[other] = known; // the older one moves aside, the newer takes the first slot
            table[slot] = id;
        }
        return id;
    }

    private static boolean matches(String known, int hash, char[] buffer, int offset, int length) {
        return known.hashCode() == hash && known.length() == length && sameChars(known, buffer, offset);
    }

    private static boolean sameChars(String known, char[] buffer, int offset) {
        for (int i = 0; i < known.length(); i++) {
            if (known.charAt(i) != buffer[offset + i]) {
                return false;
            }
        }
        return true;
    }
}
