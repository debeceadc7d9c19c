package io.clink.core.internal.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.PublishProperties;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.config.LinkConfig;
import io.clink.api.store.RouteStore;
import io.clink.core.internal.engine.CounterRegistry;
import io.clink.core.internal.engine.EngineTime;
import io.clink.core.internal.engine.GuardedBroker;
import io.clink.core.internal.engine.LiveConfig;
import io.clink.core.internal.engine.SerialExecutors;
import io.clink.core.internal.etf.EtfDecoder;
import io.clink.core.internal.etf.EtfLimits;
import io.clink.core.internal.etf.ProtocolException;
import io.clink.core.internal.protocol.ControlCodec;
import io.clink.core.internal.protocol.ControlMessage;
import io.clink.core.internal.protocol.ControlMessage.ActorInit;
import io.clink.core.internal.protocol.ControlMessage.ActorInitAck;
import io.clink.core.internal.protocol.ControlMessage.Heartbeat;
import io.clink.core.internal.protocol.ControlMessage.RouteBatch;
import io.clink.core.internal.protocol.ControlMessage.RouteOp;
import io.clink.core.internal.route.IndexedRoute;
import io.clink.core.internal.route.RouteIndex;
import io.clink.core.internal.store.InProcessRouteStore;
import io.clink.testkit.ManualTime;
import io.clink.testkit.RecordingBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A receiver wired to manual time and a recording broker. Local cluster {@value #LOCAL}; links {@code clA} and
 * {@code clB} enabled, {@code clD} disabled; no link for any other name.
 */
final class Harness {

    static final String LOCAL = "local";
    static final String CORRELATION = "0123456789abcdef";
    static final Duration TTL = ReceiverTimings.EMQX.actorTtl();

    // A non-zero monotonic origin, so nothing relies on the clock starting at 0.
    final ManualTime time = ManualTime.startingAt(7_000_000_000L, Instant.ofEpochMilli(1_722_945_600_000L + 7_000));
    final RecordingBroker broker = new RecordingBroker();
    final LiveConfig liveConfig;
    final CounterRegistry counters;
    final RouteIndex index = new RouteIndex();
    final RouteStore store;
    final RouteReceiver receiver;
    private int connections;

    Harness() {
        this(Map.of("clA", true, "clB", true, "clD", false));
    }

    Harness(Map<String, Boolean> links) {
        this(links, new InProcessRouteStore());
    }

    /** A node over {@code store}, which other harnesses (other nodes of the same cluster) may share. */
    Harness(RouteStore store) {
        this(Map.of("clA", true, "clB", true, "clD", false), store);
    }

    private Harness(Map<String, Boolean> links, RouteStore store) {
        this.store = store;
        liveConfig = new LiveConfig(config(links));
        counters = new CounterRegistry(liveConfig);
        receiver = newReceiver(ReceiverTimings.EMQX.actorTtl(), ReceiverTimings.EMQX.gcRepeat());
    }

    /** Another receiver over this harness's configuration, broker, index, counters and time. */
    RouteReceiver newReceiver(Duration actorTtl, Duration gcRepeat) {
        return new RouteReceiver(
                liveConfig,
                new GuardedBroker(broker),
                store,
                index,
                counters,
                new EngineTime(time.ticker(), time.scheduler()),
                new SerialExecutors(time.executor()),
                EtfLimits.defaults(),
                new ReceiverTimings(actorTtl, gcRepeat));
    }

    static ClusterLinkConfig config(Map<String, Boolean> links) {
        ClusterLinkConfig.Builder b = ClusterLinkConfig.builder().name(LOCAL);
        new TreeMap<>(links)
                .forEach((name, enabled) -> b.link(LinkConfig.builder()
                        .name(name)
                        .server(name + ".example.net:11883")
                        .topics("#")
                        .enable(enabled)
                        .build()));
        return b.build();
    }

    void setLinks(Map<String, Boolean> links) {
        liveConfig.set(config(links));
    }

    RouteIndex index() {
        return index;
    }

    LinkConnection connect(String clientId) {
        connections++;
        return LinkConnection.of("conn-" + connections, clientId);
    }

    static PublishProperties initProperties(String cluster, String actor) {
        return PublishProperties.builder()
                .responseTopic("$LINK/cluster/resp/" + cluster + "/" + actor)
                .correlationData(CORRELATION.getBytes(StandardCharsets.US_ASCII))
                .build();
    }

    int init(LinkConnection conn, String cluster, String actor, long incarnation) {
        return init(conn, cluster, actor, incarnation, LOCAL);
    }

    int init(LinkConnection conn, String cluster, String actor, long incarnation, String target) {
        return publish(
                conn,
                cluster,
                ControlCodec.encode(new ActorInit(actor, incarnation, target, 1)),
                initProperties(cluster, actor));
    }

    /** Opens a connection and initialises the actor on it, asserting the handshake was accepted. */
    LinkConnection initialised(String cluster, String actor, long incarnation) {
        LinkConnection conn = connect(cluster + ":routesync:" + actor);
        int replies = broker.replies().size();
        assertThat(init(conn, cluster, actor, incarnation)).isEqualTo(0x10);
        assertThat(broker.replies()).hasSize(replies + 1);
        assertThat(lastAck().result()).isInstanceOf(ControlMessage.Accepted.class);
        return conn;
    }

    int routes(LinkConnection conn, String cluster, String actor, RouteOp... ops) {
        return publish(conn, cluster, new RouteBatch(actor, 1, List.of(ops)));
    }

    int heartbeat(LinkConnection conn, String cluster, String actor) {
        return publish(conn, cluster, new Heartbeat(actor, 1));
    }

    int publish(LinkConnection conn, String cluster, ControlMessage message) {
        return publish(conn, cluster, ControlCodec.encode(message), PublishProperties.EMPTY);
    }

    int publish(LinkConnection conn, String cluster, byte[] payload, PublishProperties props) {
        return receiver.onRoutePublish(conn, cluster, payload, props);
    }

    static RouteOp add(String filter, String routeId) {
        return RouteOp.add(filter, routeId);
    }

    static RouteOp add(String filter) {
        return RouteOp.add(filter, filter);
    }

    static RouteOp del(String filter, String routeId) {
        return RouteOp.delete(filter, routeId);
    }

    static RouteOp del(String filter) {
        return RouteOp.delete(filter, filter);
    }

    ActorInitAck lastAck() {
        byte[] payload =
                broker.replies().get(broker.replies().size() - 1).message().payloadBytes();
        try {
            return (ActorInitAck) ControlCodec.decode(EtfDecoder.withDefaults(), payload);
        } catch (ProtocolException e) {
            throw new AssertionError("the ack does not decode", e);
        }
    }

    /** The cluster's rows as {@code filter|routeId} strings, sorted. */
    Set<String> rows(String cluster) {
        Set<String> out = new TreeSet<>();
        for (IndexedRoute r : index().routes(cluster)) {
            out.add(r.filter() + "|" + r.routeId());
        }
        return out;
    }

    /** The cluster's rows with the names of the actors holding them, via the actors' lanes. */
    Map<String, Set<String>> rowHolders(String cluster) {
        Map<Integer, String> byLane = new HashMap<>();
        for (RouteStore.ActorRecord a : receiver.actors(cluster)) {
            byLane.put(a.lane(), a.key().actor());
        }
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (IndexedRoute r : index().routes(cluster)) {
            Set<String> holders = new TreeSet<>();
            for (int lane = r.lanes().nextSetBit(0); lane >= 0; lane = r.lanes().nextSetBit(lane + 1)) {
                String actor = byLane.get(lane);
                assertThat(actor)
                        .as("lane %d of %s held by a live actor", lane, r)
                        .isNotNull();
                holders.add(actor);
            }
            out.put(r.filter() + "|" + r.routeId(), holders);
        }
        return out;
    }

    long routesSkipped(String cluster) {
        return counters.counters(cluster).routesSkipped.sum();
    }

    long protocolErrors(String cluster) {
        return counters.counters(cluster).protocolErrors.sum();
    }

    long routesReceived(String cluster) {
        return counters.counters(cluster).routesReceived.sum();
    }
}
