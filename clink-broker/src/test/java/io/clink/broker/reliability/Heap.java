package io.clink.broker.reliability;

import java.lang.management.ManagementFactory;

/** The heap measure the reliability ITs compare before and after a phase, so that all of them measure alike. */
final class Heap {

    private Heap() {}

    /**
     * Heap in use after a full collection, in bytes: the least of several passes, as one {@code System.gc()} is only
     * a hint and a pass may catch the JVM mid-allocation. Blocks about a second.
     */
    static long usedAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(200);
            used = Math.min(
                    used,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
