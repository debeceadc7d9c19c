package io.clink.core.internal.forward;

import io.clink.api.IncarnationStore;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.config.LinkConfig;
import io.clink.api.time.Scheduler;
import io.clink.api.transport.LinkTransport;
import io.clink.core.internal.engine.EngineContext;
import io.clink.core.internal.engine.GuardedBroker;
import io.clink.core.internal.etf.EtfLimits;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;

/** Builds engine contexts over the manual time and the fakes. */
final class TestEngines {
    static final String NODE = "clink@node1";

    private TestEngines() {
    }

    /** A link to {@code name} on {@code peer.example:11883} with the given topics. */
    static LinkConfig.Builder link(String name, String... topics) {
        return LinkConfig.builder().name(name).server("peer.example:11883").topics(topics);
    }

    static ClusterLinkConfig config(String local, LinkConfig... links) {
        return ClusterLinkConfig.builder().name(local).links(List.of(links)).build();
    }

    static EngineContext context(ManualTime time, LinkTransport transport, FakeBroker broker, ClusterLinkConfig cfg,
            long seed) {
        return context(time, time, transport, broker, cfg, seed);
    }

    /** As above, with the scheduler given apart from the clock (one that fails on demand, for instance). */
    static EngineContext context(ManualTime time, Scheduler scheduler, LinkTransport transport, FakeBroker broker,
            ClusterLinkConfig cfg, long seed) {
        Random random = new Random(seed);
        return new EngineContext(cfg, new GuardedBroker(broker), transport, time, scheduler, time, new MemoryStore(),
                NODE, random::nextDouble, EtfLimits.defaults());
    }

    private static final class MemoryStore implements IncarnationStore {
        private final Map<String, Long> values = new HashMap<>();

        @Override
        public OptionalLong load(String actorKey) {
            Long v = values.get(actorKey);
            return v == null ? OptionalLong.empty() : OptionalLong.of(v);
        }

        @Override
        public void store(String actorKey, long incarnation) {
            values.put(actorKey, incarnation);
        }
    }
}
