package io.clink.broker.reliability;

import static io.clink.broker.reliability.LinkedPair.await;
import static io.clink.broker.reliability.LinkedPair.soak;
import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.link.LinkMetrics;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 4 of issue 8: a stalled or slow peer. The proxy in front of B freezes A's link connections (nothing read
 * or forwarded, nothing closed), or throttles them to 64 KiB/s, while A floods messages B subscribed to. A's per-link buffer stays within its
 * configured bounds ({@code forwarding_buffer.max_messages = 500}, {@code max_bytes = 2 MiB}), the excess is
 * dropped and counted in the link's metrics, the heap after GC grows by about the buffer, not the flood, and local
 * delivery on A (publisher and subscriber both on A, on a topic that also matches B's route) is not slowed.
 * Short: 4,000 messages of 16 KiB (64 MiB); soak ({@code -Psoak}): 20,000 (320 MiB).
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class SlowPeerIT extends ReliabilityBase {

    private static final int MAX_MESSAGES = 500;
    private static final long MAX_BYTES = 2L * 1024 * 1024;
    private static final int PAYLOAD = 16 * 1024;
    private static final int PINGS = 200;

    @Test
    void stalledPeer_flood_buffersBoundedDropsCountedLocalDeliveryNotSlowed() throws Exception {
        run("stalled", soak() ? 20_000 : 4_000);
    }

    @Test
    void throttledPeer_flood_buffersBoundedDropsCountedLocalDeliveryNotSlowed() throws Exception {
        // 64 KiB/s per direction: the peer drains about four 16 KiB messages a second.
        run("throttled", soak() ? 20_000 : 4_000);
    }

    private void run(String mode, int flood) throws Exception {
        pair = new LinkedPair();
        pair.a.linkExtra = "forwarding_buffer { max_messages = " + MAX_MESSAGES + ", max_bytes = " + MAX_BYTES + " }";
        pair.startBoth();
        track(new Mqtt(pair.b.uri(), "b-sub", "p-", false)).subscribe("slow/#");
        // The local subscriber takes only the pings (which also match B's route, so each one goes through the
        // stalled link's forwarder too): subscribed to the flood as well, its own session queue on A (HiveMQ's
        // max-queue-size, 1000) overflows in the soak form and HiveMQ discards pings, which measures HiveMQ's
        // slow-consumer policy, not the link.
        Mqtt local = track(new Mqtt(pair.a.uri(), "a-local", "p-", false)).subscribe("slow/ping");
        Mqtt pinger = client(pair.a, "a-pinger");
        Mqtt flooder = client(pair.a, "a-flooder");
        await(
                "A learns B's route",
                LinkedPair.WAIT_MS,
                () -> pair.a.peerRoutes().contains("slow/#") && pair.a.online(),
                pair);

        long[] healthy = pings(pinger, local, "healthy");
        byte[] payload = new byte[PAYLOAD];
        Arrays.fill(payload, (byte) 'x');
        int warm = 200;
        long warmStart = System.nanoTime();
        for (int i = 0; i < warm; i++) {
            flooder.publish("slow/warm/" + (i % 16), payload);
        }
        double healthyPublishMs = (System.nanoTime() - warmStart) / 1e6 / warm;
        await(
                "A's buffer empty before the stall",
                LinkedPair.WAIT_MS,
                () -> pair.a.metrics().bufferedMessages() == 0,
                pair);
        long heapBefore = Heap.usedAfterGc();

        if (mode.equals("stalled")) {
            pair.proxyToB.stall(true);
        } else {
            pair.proxyToB.throttle(64 * 1024);
        }
        AtomicLong maxMessages = new AtomicLong();
        AtomicLong maxBytes = new AtomicLong();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(
                () -> {
                    while (sampling.get()) {
                        LinkMetrics m = pair.a.metrics();
                        maxMessages.accumulateAndGet(m.bufferedMessages(), Math::max);
                        maxBytes.accumulateAndGet(m.bufferedBytes(), Math::max);
                        try {
                            Thread.sleep(2);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "buffer-sampler");
        sampler.start();
        long floodStart = System.nanoTime();
        for (int i = 0; i < flood; i++) {
            flooder.publish("slow/flood/" + (i % 16), payload);
        }
        long floodMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - floodStart);
        double stalledPublishMs = (double) floodMs / flood;
        long[] stalled = pings(pinger, local, "stalled");
        LinkMetrics during = pair.a.metrics();
        long heapStalled = Heap.usedAfterGc();
        sampling.set(false);
        sampler.join(5_000);

        pair.proxyToB.heal();
        await(
                "A's buffer drains once the peer reads again",
                60_000,
                () -> pair.a.metrics().bufferedMessages() == 0,
                pair);
        LinkMetrics after = pair.a.metrics();
        long heapAfter = Heap.usedAfterGc();

        System.out.printf(
                "SlowPeerIT figures (" + mode
                        + "): flood=%d x %d B in %d ms; buffered max %d msgs / %d B (limits %d / %d); "
                        + "dropped=%d forwarded=%d failed=%d matched=%d (during stall: %s); local ping ms healthy "
                        + "p50=%.1f p99=%.1f, stalled p50=%.1f p99=%.1f; heap after GC: before=%d MiB stalled=%d MiB "
                        + "after=%d MiB; publish (PUBACK) ms per message healthy=%.2f stalled=%.2f%n",
                flood,
                PAYLOAD,
                floodMs,
                maxMessages.get(),
                maxBytes.get(),
                MAX_MESSAGES,
                MAX_BYTES,
                after.dropped(),
                after.forwarded(),
                after.failed(),
                after.matched(),
                during,
                healthy[0] / 1e6,
                healthy[1] / 1e6,
                stalled[0] / 1e6,
                stalled[1] / 1e6,
                heapBefore >> 20,
                heapStalled >> 20,
                heapAfter >> 20,
                healthyPublishMs,
                stalledPublishMs);

        assertThat(maxMessages.get()).as("most messages buffered").isLessThanOrEqualTo(MAX_MESSAGES);
        assertThat(maxBytes.get()).as("most bytes buffered").isLessThanOrEqualTo(MAX_BYTES);
        assertThat(during.dropped()).as("drops counted while stalled").isPositive();
        assertThat(during.matched())
                .as("every matched message is accounted for")
                .isEqualTo(during.forwarded() + during.failed() + during.dropped() + during.bufferedMessages());
        // The flood was 64 MiB (short form); the buffer holds at most 2 MiB. Allow room for the brokers' own churn,
        // well below the flood.
        assertThat(heapStalled - heapBefore)
                .as("heap growth while stalled, bytes")
                .isLessThan(2 * MAX_BYTES + 16L * 1024 * 1024);
        assertThat(stalled[0])
                .as("local median round trip while the link is stalled, ns")
                .isLessThan(Math.max(5 * healthy[0], healthy[0] + TimeUnit.MILLISECONDS.toNanos(50)));
        assertThat(stalledPublishMs)
                .as("a publisher's time per QoS 1 publish while the link is stalled, ms")
                .isLessThan(Math.max(5 * healthyPublishMs, healthyPublishMs + 20));
        assertThat(stalled[1])
                .as("local p99 round trip while the link is stalled, ns")
                .isLessThan(TimeUnit.SECONDS.toNanos(2));
    }

    /** Local round trips on A: publish, wait for the local subscriber's copy. Returns {p50, p99} in ns. */
    private static long[] pings(Mqtt pinger, Mqtt local, String tag) throws Exception {
        long[] rtt = new long[PINGS];
        local.queue.clear();
        for (int i = 0; i < PINGS; i++) {
            String p = "p-" + tag + "-" + i;
            long t0 = System.nanoTime();
            pinger.publish("slow/ping", p);
            String got;
            do {
                got = local.queue.poll(LinkedPair.WAIT_MS, TimeUnit.MILLISECONDS);
                assertThat(got).as("local ping " + p).isNotNull();
            } while (!got.equals(p));
            rtt[i] = System.nanoTime() - t0;
        }
        Arrays.sort(rtt);
        return new long[] {rtt[PINGS / 2], rtt[PINGS * 99 / 100]};
    }
}
