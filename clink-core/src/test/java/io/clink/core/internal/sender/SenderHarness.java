package io.clink.core.internal.sender;

import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.config.LinkConfig;
import io.clink.api.config.ReconnectBackoff;
import io.clink.api.link.ActorState;
import io.clink.api.link.ActorStateChange;
import io.clink.api.topic.Subscription;
import io.clink.api.transport.ConnectResult;
import io.clink.core.internal.connection.FailingScheduler;
import io.clink.core.internal.engine.EngineTime;
import io.clink.core.internal.engine.LinkCounters;
import io.clink.core.internal.engine.SerialExecutors;
import io.clink.core.internal.etf.EtfDecoder;
import io.clink.core.internal.etf.EtfLimits;
import io.clink.core.internal.etf.ProtocolException;
import io.clink.core.internal.protocol.ControlCodec;
import io.clink.core.internal.protocol.ControlMessage;
import io.clink.core.internal.protocol.ControlMessage.ActorInit;
import io.clink.core.internal.protocol.ControlMessage.ActorInitAck;
import io.clink.core.internal.protocol.ControlMessage.RouteBatch;
import io.clink.core.internal.testing.FakeTransport;
import io.clink.core.internal.testing.FakeTransport.FakeClient;
import io.clink.core.internal.testing.FakeTransport.Publish;
import io.clink.testkit.InMemoryIncarnationStore;
import io.clink.testkit.ManualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/** One ActorSender wired to manual time, a scripted transport and an in-memory incarnation store. */
final class SenderHarness {

    static final String LOCAL = "clA";
    static final String REMOTE = "clB";
    static final String NODE = "node1@host";
    static final String ROUTE_TOPIC = "$LINK/cluster/route/" + LOCAL;
    static final String RESP_TOPIC = "$LINK/cluster/resp/" + LOCAL + "/" + NODE;
    static final ReconnectBackoff BACKOFF = new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10), 0.25);

    /** Wall-clock origin: 2024-08-06T12:00:00Z, as in the protocol's sample encodings. */
    static final long WALL_ORIGIN_MILLIS = 1_722_945_600_000L;

    final ManualTime sim = ManualTime.startingAt(0, Instant.ofEpochMilli(WALL_ORIGIN_MILLIS));
    /** The scheduler the actor gets: the simulation's, able to refuse calls on demand. */
    final FailingScheduler scheduler = new FailingScheduler(sim.scheduler());

    final FakeTransport transport = new FakeTransport();
    final InMemoryIncarnationStore incarnations = new InMemoryIncarnationStore();
    final Set<Subscription> routes = new LinkedHashSet<>();
    final List<ActorStateChange> changes = new ArrayList<>();
    final LinkConfig link;
    final ClusterLinkConfig config;
    final LinkCounters counters = new LinkCounters();
    final ActorSender sender;
    DoubleSupplier random = () -> 0.5;

    SenderHarness(String... topics) {
        this(b -> b.topics(topics));
    }

    SenderHarness(Consumer<LinkConfig.Builder> linkSettings) {
        this("127.0.0.1:11883", linkSettings);
    }

    SenderHarness(String server, Consumer<LinkConfig.Builder> linkSettings) {
        LinkConfig.Builder b = LinkConfig.builder().name(REMOTE).server(server).reconnect(BACKOFF);
        linkSettings.accept(b);
        link = b.build();
        config = ClusterLinkConfig.builder()
                .name(LOCAL)
                .actorName(NODE)
                .link(link)
                .build();
        sender = newSender(() -> Set.copyOf(routes), changes::add);
    }

    /** Another actor on this harness's link, time, transport and store. */
    ActorSender newSender(Supplier<Set<Subscription>> localRoutes, Consumer<ActorStateChange> listener) {
        return new ActorSender(
                config,
                link,
                NODE,
                transport,
                incarnations,
                counters,
                new EngineTime(sim.ticker(), scheduler),
                new SerialExecutors(sim.executor()).newSerialExecutor(),
                () -> random.getAsDouble(),
                EtfLimits.defaults(),
                localRoutes,
                listener);
    }

    // --- driving the actor ---

    void start() {
        sender.start();
        sim.runUntilIdle();
    }

    void stop() {
        sender.stop();
        sim.runUntilIdle();
    }

    ActorState state() {
        return sender.status().state();
    }

    FakeClient client() {
        return transport.last();
    }

    void addRoute(String subscription) {
        Subscription s = Subscription.parse(subscription);
        if (routes.add(s)) {
            sender.routeAdded(s);
        }
    }

    void removeRoute(String subscription) {
        Subscription s = Subscription.parse(subscription);
        if (routes.remove(s)) {
            sender.routeRemoved(s);
        }
    }

    // --- playing the peer ---

    void connack() {
        connack(ConnectResult.UNLIMITED);
    }

    void connack(long maximumPacketSize) {
        client().accept(maximumPacketSize);
        sim.runUntilIdle();
    }

    void suback() {
        FakeTransport.Subscribe s = client().pendingSubscribe();
        if (s == null) {
            throw new AssertionError("no subscribe pending");
        }
        s.result().complete(1);
        sim.runUntilIdle();
    }

    /** The pending actor_init publish of the current client. */
    Publish actorInitPublish() {
        return client().pendingPublishes().stream()
                .filter(p -> decode(p.message().payload()) instanceof ActorInit)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no actor_init pending"));
    }

    /** PUBACKs the pending actor_init and replies with {@code result}. */
    void ack(ControlMessage.Result result) {
        Publish init = actorInitPublish();
        ActorInit request = (ActorInit) decode(init.message().payload());
        init.result().complete(new io.clink.api.transport.PublishResult(0x10));
        sim.runUntilIdle();
        byte[] reply = ControlCodec.encode(new ActorInitAck(request.actor(), 1, result));
        client().deliver(RESP_TOPIC, reply, init.message().correlationData());
        sim.runUntilIdle();
    }

    /** Connect, subscribe and an accepting ack. */
    void handshake(boolean needBootstrap) {
        handshake(ConnectResult.UNLIMITED, needBootstrap);
    }

    void handshake(long maximumPacketSize, boolean needBootstrap) {
        connack(maximumPacketSize);
        suback();
        ack(new ControlMessage.Accepted(needBootstrap));
    }

    /** PUBACKs route batches one by one until none is pending; returns how many were acknowledged. */
    int pubackBatches() {
        int n = 0;
        for (int i = 0; i < 10_000; i++) {
            Publish p = client().pendingPublishes().stream()
                    .filter(x -> decode(x.message().payload()) instanceof RouteBatch)
                    .findFirst()
                    .orElse(null);
            if (p == null) {
                return n;
            }
            p.result().complete(new io.clink.api.transport.PublishResult(0x10));
            sim.runUntilIdle();
            n++;
        }
        throw new AssertionError("route batches keep coming");
    }

    /** Every route batch published on every client, in order. */
    List<RouteBatch> batches() {
        List<RouteBatch> out = new ArrayList<>();
        for (FakeClient c : transport.clients) {
            for (Publish p : c.publishes) {
                if (decode(p.message().payload()) instanceof RouteBatch b) {
                    out.add(b);
                }
            }
        }
        return out;
    }

    /** Every publish of one kind on the current client. */
    <T extends ControlMessage> List<Publish> publishesOf(Class<T> kind) {
        return client().publishes.stream()
                .filter(p -> kind.isInstance(decode(p.message().payload())))
                .toList();
    }

    static ControlMessage decode(byte[] payload) {
        try {
            return ControlCodec.decode(EtfDecoder.withDefaults(), payload);
        } catch (ProtocolException e) {
            throw new AssertionError("undecodable payload", e);
        }
    }
}
