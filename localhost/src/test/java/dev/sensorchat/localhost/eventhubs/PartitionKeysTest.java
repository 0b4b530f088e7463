package dev.sensorchat.localhost.eventhubs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartitionKeysTest {

    /**
     * Hash values published in the Azure SDK for Python's partition-resolver tests
     * (sdk/eventhub/azure-eventhub/tests/unittest/test_partition_resolver.py), which check the SDK's
     * port of the service's hash: an independent ground truth.
     */
    @Test
    void hashMatchesTheEventHubsServiceHashForKnownKeys() {
        Map<String, Integer> known = new LinkedHashMap<>();
        known.put("7", -15263);
        known.put("7149583486996073602", 12977);
        known.put("FWfAT", -22341);
        known.put("sOdeEAsyQoEuEFPGerWO", -6503);
        known.put("FAyAIctPeCgmiwLKbJcyswoHglHVjQdvtBowLACDNORsYvOcLddNJYDmhAVkbyLOrHTKLneMNcbgWVlasVywOByANjs", 5226);
        known.put("1XYM6!(7(lF5wq4k4m*e$Nc!1ezLJv*1YK1Y-C^*&B$O)lq^iUkG(TNzXG;Zi#z2Og*Qq0#^*k):vXh$3,C7We7%W0meJ;b3,rQCg^J;^twXgs5E$$hWKxqp", 23950);
        known.put("E(x;RRIaQcJs*P;D&jTPau-4K04oqr:lF6Z):ERpo&;9040qyV@G1_c9mgOs-8_8/10Fwa-7b7-yP!T-!IH&968)FWuI;(^g$2fN;)HJ^^yTn:", -29304);
        known.put("!c*_!I@1^c", 15372);
        known.put("p4*!jioeO/z-!-;w:dh", -3104);
        known.put("$0cb", 26269);
        known.put("-4189260826195535198", 453);
        known.forEach((key, hash) -> assertEquals((short) (int) hash, PartitionKeys.hash(key), key));
    }

    @Test
    void partitionIsTheHashModuloThePartitionCountWithoutSign() {
        // -15263 % 4 = -3 → 3; 12977 % 4 = 1; -22341 % 32 = -5 → 5
        assertEquals(3, PartitionKeys.partitionFor("7", 4));
        assertEquals(1, PartitionKeys.partitionFor("7149583486996073602", 4));
        assertEquals(5, PartitionKeys.partitionFor("FWfAT", 32));
        assertEquals(0, PartitionKeys.partitionFor("anything", 1));
    }

    @Test
    void everyLengthUpToThreeBlocksHashesDeterministically() {
        StringBuilder key = new StringBuilder();
        for (int length = 0; length <= 40; length++) {
            assertEquals(PartitionKeys.hash(key.toString()), PartitionKeys.hash(new String(key)));
            key.append((char) ('a' + length % 26));
        }
    }

    @Test
    void deviceIdsSpreadOverAllPartitions() {
        for (int partitions : new int[] {2, 4, 8, 32}) {
            int[] counts = new int[partitions];
            int keys = 4000;
            for (int i = 0; i < keys; i++) {
                counts[PartitionKeys.partitionFor(String.format("dev-%04d", i), partitions)]++;
            }
            double expected = (double) keys / partitions;
            for (int p = 0; p < partitions; p++) {
                assertTrue(counts[p] > expected * 0.7 && counts[p] < expected * 1.3,
                        "partition " + p + " of " + partitions + " got " + counts[p] + ", expected about " + expected);
            }
        }
    }
}
