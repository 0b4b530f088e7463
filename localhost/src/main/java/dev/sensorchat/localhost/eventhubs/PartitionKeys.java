package dev.sensorchat.localhost.eventhubs;

import java.nio.charset.StandardCharsets;

/**
 * Maps a partition key to a partition the way Event Hubs does: Bob Jenkins' lookup3 {@code hashlittle2}
 * over the key's UTF-8 bytes with both seeds 0, the two 32-bit results XORed and narrowed to a
 * {@code short}, then {@code |hash % partitionCount|}. That is the reduction the Azure SDKs' buffered
 * producers use to predict the service's assignment, so a device lands on the same partition number
 * here as on a real hub with the same partition count. Stable across runs and JVMs.
 *
 * <p>Written from the public-domain lookup3.c. Bytes are taken unsigned, as in C and in the .NET service
 * (the Java SDK's port sign-extends tail bytes, which only matters for non-ASCII keys).
 */
public final class PartitionKeys {

    private PartitionKeys() {
    }

    /** The partition index, 0 to {@code partitionCount - 1}, for a non-null key. */
    public static int partitionFor(String partitionKey, int partitionCount) {
        if (partitionCount < 1) {
            throw new IllegalArgumentException("partitionCount must be at least 1, was " + partitionCount);
        }
        return Math.abs(hash(partitionKey) % partitionCount);
    }

    /** The 16-bit Event Hubs partition-key hash. */
    public static short hash(String partitionKey) {
        byte[] data = partitionKey.getBytes(StandardCharsets.UTF_8);
        int a = 0xdeadbeef + data.length;
        int b = a;
        int c = a;
        int i = 0;
        int remaining = data.length;
        while (remaining > 12) {
            a += word(data, i);
            b += word(data, i + 4);
            c += word(data, i + 8);
            // mix(a, b, c)
            a -= c; a ^= Integer.rotateLeft(c, 4); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 6); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 8); b += a;
            a -= c; a ^= Integer.rotateLeft(c, 16); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 19); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 4); b += a;
            i += 12;
            remaining -= 12;
        }
        if (remaining == 0) {
            return (short) (c ^ b);
        }
        // The last 1 to 12 bytes, little-endian, missing high bytes zero.
        a += partial(data, i, Math.min(remaining, 4));
        if (remaining > 4) {
            b += partial(data, i + 4, Math.min(remaining - 4, 4));
        }
        if (remaining > 8) {
            c += partial(data, i + 8, remaining - 8);
        }
        // final(a, b, c)
        c ^= b; c -= Integer.rotateLeft(b, 14);
        a ^= c; a -= Integer.rotateLeft(c, 11);
        b ^= a; b -= Integer.rotateLeft(a, 25);
        c ^= b; c -= Integer.rotateLeft(b, 16);
        a ^= c; a -= Integer.rotateLeft(c, 4);
        b ^= a; b -= Integer.rotateLeft(a, 14);
        c ^= b; c -= Integer.rotateLeft(b, 24);
        return (short) (c ^ b);
    }

    private static int word(byte[] data, int at) {
        return partial(data, at, 4);
    }

    private static int partial(byte[] data, int at, int length) {
        int value = 0;
        for (int k = 0; k < length; k++) {
            value |= (data[at + k] & 0xff) << (8 * k);
        }
        return value;
    }
}
