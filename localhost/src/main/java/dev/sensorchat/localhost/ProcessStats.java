package dev.sensorchat.localhost;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The host process as {@code GET /admin/status} shows it: its pid, uptime, heap and collections.
 * The heap after the last collection (each heap pool as its latest collection left it) is what tells
 * a leak from garbage: the used heap of a busy JVM saws up and down whatever it retains.
 */
final class ProcessStats {

    private ProcessStats() {
    }

    static Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("pid", ProcessHandle.current().pid());
        view.put("uptimeSeconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
        view.put("processors", Runtime.getRuntime().availableProcessors());
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        view.put("heapUsedBytes", heap.getUsed());
        view.put("heapCommittedBytes", heap.getCommitted());
        view.put("heapMaxBytes", heap.getMax());
        long afterGc = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage collected = pool.getCollectionUsage(); // null for pools no collector manages
            if (pool.getType() == MemoryType.HEAP && collected != null) {
                afterGc += collected.getUsed();
            }
        }
        view.put("heapAfterLastGcBytes", afterGc);
        long collections = 0;
        long collectionMillis = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            collections += Math.max(0, collector.getCollectionCount());
            collectionMillis += Math.max(0, collector.getCollectionTime());
        }
        view.put("gcCollections", collections);
        view.put("gcMillis", collectionMillis);
        return view;
    }
}
