package io.clink.core.internal.forward;

import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.config.LinkConfig;
import io.clink.api.time.Scheduler;
import io.clink.api.transport.LinkTransport;
import io.clink.core.internal.engine.EngineContext;
import io.clink.core.internal.engine.GuardedBroker;
import io.clink.core.internal.etf.EtfLimits;
import io.clink.testkit.InMemoryIncarnationStore;
import io.clink.testkit.ManualTime;
import io.clink.testkit.RecordingBroker;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/** Builds engine contexts over the manual time and the fakes. */
final class TestEngines {
    static final String NODE = "clink@node1";
    /** 2024-08-06T12:00:00Z, the timestamp base of the protocol vectors: the wall clock of {@link #newTime()}. */
    static final long EPOCH_MILLIS = 1_722_945_600_000L;

    private TestEngines() {}

    /** A link to {@code name} on {@code peer.example:11883} with the given topics. */
    static LinkConfig.Builder link(String name, String... topics) {
        return LinkConfig.builder().name(name).server("peer.example:11883").topics(topics);
    }

    static ClusterLinkConfig config(String local, LinkConfig... links) {
        return ClusterLinkConfig.builder().name(local).links(List.of(links)).build();
    }

    /** Manual time whose monotonic clock starts at 0 and wall clock at {@link #EPOCH_MILLIS}. */
    static ManualTime newTime() {
        return ManualTime.startingAt(0, Instant.ofEpochMilli(EPOCH_MILLIS));
    }

    static EngineContext context(
            ManualTime time, LinkTransport transport, RecordingBroker broker, ClusterLinkConfig cfg, long seed) {
        return context(time, time.scheduler(), transport, broker, cfg, seed);
    }

    /** As above, with the scheduler given apart from the clock (one that fails on demand, for instance). */
    static EngineContext context(
            ManualTime time,
            Scheduler scheduler,
            LinkTransport transport,
            RecordingBroker broker,
            ClusterLinkConfig cfg,
            long seed) {
        Random random = new Random(seed);
        return new EngineContext(
                cfg,
                new GuardedBroker(broker),
                transport,
                time.ticker(),
                scheduler,
                time.executor(),
                new InMemoryIncarnationStore(),
                NODE,
                random::nextDouble,
                EtfLimits.defaults());
    }
}
