package dev.sensorchat.storage;

/**
 * A model of Cosmos DB request charges by document size, for counting what a workload would cost
 * where no real charge is reported (the local server, the in-memory container). The points are
 * Microsoft's published table for session consistency ("Understand request unit consumption",
 * learn.microsoft.com/azure/cosmos-db/understand-request-unit-consumption): a point read of 1 KB
 * is 1 RU, a write of 1 KB 4.95 RU, with indexing as configured; between the points the charge is
 * interpolated linearly, beyond the last it grows in proportion.
 */
public final class RequestUnits {

    private static final double[] KB = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048};
    private static final double[] READ = {1.00, 1.04, 1.14, 1.33, 1.67, 2.19, 4.76, 9.95, 20.28, 40.95, 145.90, 291.80};
    private static final double[] WRITE = {4.95, 6.29, 6.67, 7.04, 9.52, 11.23, 22.67, 48.19, 98.29, 184.57, 625.00, 1250.00};

    /** A read that finds nothing, or a write that is refused (404, 409, 412), still costs about a read. */
    public static final double MISS = 1.0;

    private RequestUnits() {
    }

    public static double read(long bytes) {
        return interpolate(READ, bytes);
    }

    public static double write(long bytes) {
        return interpolate(WRITE, bytes);
    }

    /**
     * A query page, roughly: the 2.3 RU Cosmos DB charges for a query at least, plus a point read of
     * each result. Real query charges depend on the index lookups; the pipeline never queries.
     */
    public static double queryPage(long resultBytes, int results) {
        return 2.3 + (results == 0 ? 0 : results * read(resultBytes / results));
    }

    private static double interpolate(double[] charges, long bytes) {
        double kb = Math.max(bytes, 1) / 1024.0;
        if (kb <= KB[0]) {
            return charges[0];
        }
        for (int i = 1; i < KB.length; i++) {
            if (kb <= KB[i]) {
                double share = (kb - KB[i - 1]) / (KB[i] - KB[i - 1]);
                return charges[i - 1] + share * (charges[i] - charges[i - 1]);
            }
        }
        return charges[charges.length - 1] * kb / KB[KB.length - 1];
    }
}
