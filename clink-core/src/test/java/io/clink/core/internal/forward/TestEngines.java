package io.clink.core.internal.forward;

import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.config.LinkConfig;
import io.clink.api.link.ForwardingStatus;
import io.clink.api.time.Scheduler;
import io.clink.api.transport.LinkTransport;
import io.clink.core.internal.engine.CounterRegistry;
import io.clink.core.internal.engine.EngineTime;
import io.clink.core.internal.engine.GuardedBroker;
import io.clink.core.internal.engine.LinkCounters;
import io.clink.core.internal.engine.LiveConfig;
import io.clink.core.internal.engine.SerialExecutors;
import io.clink.core.internal.etf.EtfLimits;
import io.clink.testkit.ManualTime;
import io.clink.testkit.RecordingBroker;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/** Builds forwarders and forwarded-message receivers over the manual time and the fakes. */
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

    /** A forwarded-message receiver with the configuration and counters it reads, kept for the test. */
    static final class Receiving {
        final LiveConfig config;
        final CounterRegistry counters;
        final ForwardedReceiver receiver;

        private Receiving(ManualTime time, RecordingBroker broker, ClusterLinkConfig cfg) {
            config = new LiveConfig(cfg);
            counters = new CounterRegistry(config);
            receiver = new ForwardedReceiver(
                    config, new GuardedBroker(broker), counters, time.ticker(), EtfLimits.defaults());
        }
    }

    static Receiving receiving(ManualTime time, RecordingBroker broker, ClusterLinkConfig cfg) {
        return new Receiving(time, broker, cfg);
    }

    /**
     * A forwarder for {@code link} of {@code cfg} over the manual clock, its executor and the given scheduler (one
     * that fails on demand, for instance), with a seeded random source.
     */
    static Forwarder forwarder(
            ManualTime time,
            Scheduler scheduler,
            LinkTransport transport,
            ClusterLinkConfig cfg,
            LinkConfig link,
            LinkCounters counters,
            long seed,
            Consumer<ForwardingStatus> statusListener) {
        Random random = new Random(seed);
        return new Forwarder(
                cfg,
                link,
                NODE,
                transport,
                counters,
                new EngineTime(time.ticker(), scheduler),
                new SerialExecutors(time.executor()).newSerialExecutor(),
                random::nextDouble,
                statusListener);
    }
}
