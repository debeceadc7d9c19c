package io.clink.testkit;

import io.clink.api.transport.OutgoingPublish;
import io.clink.api.transport.PublishResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/*
 * Why this exists: an in-memory link client keeps at most maxInflight QoS 1 publishes unacknowledged, as a real MQTT
 * client does with the peer's Receive Maximum, and holds the rest in order until a PUBACK frees a slot. Not
 * thread-safe: InMemoryLinkClient uses it under the network's lock.
 */
final class InflightWindow {

    /** One publish and the future its PUBACK (or loss) completes. */
    record Pending(long id, OutgoingPublish publish, CompletableFuture<PublishResult> future) {}

    private final Map<Long, Pending> inflight = new LinkedHashMap<>();
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private long nextPacketId;

    Pending next(OutgoingPublish publish, CompletableFuture<PublishResult> future) {
        return new Pending(++nextPacketId, publish, future);
    }

    /** Whether {@code p} must wait for a slot; if so it is queued. */
    boolean queueIfFull(Pending p, int maxInflight) {
        if (p.publish().qos() > 0 && inflight.size() >= maxInflight) {
            waiting.addLast(p);
            return true;
        }
        return false;
    }

    void sent(Pending p) {
        inflight.put(p.id(), p);
    }

    /** Takes {@code p} out of flight on its PUBACK; false if it was no longer in flight (lost meanwhile). */
    boolean acknowledged(Pending p) {
        return inflight.remove(p.id()) != null;
    }

    /** The first waiting publish, now allowed to go, or null. */
    @Nullable
    Pending nextWaiting() {
        return waiting.pollFirst();
    }

    /** Every publish in flight or waiting, oldest first, leaving the window empty (the connection is gone). */
    List<Pending> drain() {
        List<Pending> out = new ArrayList<>(inflight.values());
        out.addAll(waiting);
        inflight.clear();
        waiting.clear();
        return out;
    }
}
