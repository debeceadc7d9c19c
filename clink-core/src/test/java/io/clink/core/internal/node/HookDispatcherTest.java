package io.clink.core.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.LocalBroker;
import io.clink.api.broker.LocalSubscription;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import io.clink.api.broker.ReasonCodes;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.config.LinkConfig;
import io.clink.api.link.LinkStatus;
import io.clink.api.time.Cancellable;
import io.clink.api.topic.Subscription;
import io.clink.core.internal.engine.CounterRegistry;
import io.clink.core.internal.engine.EngineTime;
import io.clink.core.internal.engine.GuardedBroker;
import io.clink.core.internal.engine.LiveConfig;
import io.clink.core.internal.engine.SerialExecutors;
import io.clink.core.internal.etf.EtfLimits;
import io.clink.core.internal.forward.ForwardedReceiver;
import io.clink.core.internal.link.LocalRouteListener;
import io.clink.core.internal.link.LocalRoutes;
import io.clink.core.internal.receiver.ReceiverTimings;
import io.clink.core.internal.receiver.RouteReceiver;
import io.clink.core.internal.route.RouteIndex;
import io.clink.core.internal.store.InProcessRouteStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The dispatcher's own rules: gating, the no-second-hop rule, routing of publishes, refusal of foreign topics. */
class HookDispatcherTest {

    private static final LinkConnection CONN = LinkConnection.of("conn-1", "eu:routesync:abc");

    private final List<String> log = new ArrayList<>();
    private final LocalBroker broker = new LocalBroker() {
        @Override
        public void forEachSubscription(Consumer<? super LocalSubscription> action) {}

        @Override
        public void deliver(MqttMessage message) {
            log.add("deliver " + message.topic());
        }

        @Override
        public void disconnect(LinkConnection connection, int reasonCode, String reasonString) {
            log.add("disconnect " + connection.connectionId() + " " + reasonCode);
        }
    };
    private final ClusterLinkConfig config = ClusterLinkConfig.builder()
            .name("us")
            .links(List.of(link("eu"), link("ap")))
            .build();
    private final LiveConfig liveConfig = new LiveConfig(config);
    private final GuardedBroker guarded = new GuardedBroker(broker);
    private final CounterRegistry counters = new CounterRegistry(liveConfig);
    private final RouteIndex remoteRoutes = new RouteIndex();
    private final LocalRoutes localRoutes = new LocalRoutes(true);
    private final LinkSupervisor links = new LinkSupervisor(RecordingLink::new, cluster -> {}, () -> 0L);
    private final HookDispatcher hooks = withAccess(LinkAccess.OPEN);

    private final class RecordingLink implements RunningLink {
        private final LinkConfig config;

        RecordingLink(LinkConfig config) {
            this.config = config;
        }

        @Override
        public LinkConfig config() {
            return config;
        }

        @Override
        public void start() {}

        @Override
        public void stop() {}

        @Override
        public void forward(MqttMessage message) {
            log.add("forward " + message.topic() + " to " + config.name());
        }

        @Override
        public LinkStatus status() {
            return LinkStatus.disabled(config.name(), 0);
        }
    }

    private static LinkConfig link(String name) {
        return LinkConfig.builder()
                .name(name)
                .server(name + ".example:1883")
                .topics("#")
                .build();
    }

    private static MqttMessage publish(String topic) {
        return MqttMessage.builder().topic(topic).timestampMillis(1).build();
    }

    @Test
    void onSubscribe_beforeActivateAndAfterDeactivate_ignored() {
        hooks.onSubscribe("c1", "before");
        hooks.activate();
        hooks.onSubscribe("c1", "during");
        hooks.deactivate();
        hooks.onSubscribe("c1", "after");

        assertThat(localRoutes.routes()).containsExactly(Subscription.parse("during"));
    }

    @Test
    void onSubscribe_linkTopic_notALocalRoute() {
        hooks.activate();

        hooks.onSubscribe("c1", "$LINK/cluster/resp/eu/actor");

        assertThat(localRoutes.routes()).isEmpty();
    }

    @Test
    void onSubscribe_routeListenerThrows_nothingReachesTheBroker() {
        hooks.activate();
        localRoutes.addListener(new LocalRouteListener() {
            @Override
            public void routeAdded(Subscription route) {
                throw new IllegalStateException("executor shut down");
            }

            @Override
            public void routeRemoved(Subscription route) {
                throw new IllegalStateException("executor shut down");
            }
        });

        hooks.onSubscribe("c1", "t/#");
        hooks.onUnsubscribe("c1", "t/#");
        hooks.onSubscribe("c1", "u/#");
        hooks.onSessionEnd("c1");

        assertThat(localRoutes.routes()).isEmpty();
    }

    @Test
    void onPublish_matchesARemoteRoute_forwardedToThatClusterOnly() {
        links.start(config);
        remoteRoutes.add("t/#", "eu", "t/#", 0);
        hooks.activate();

        hooks.onPublish(publish("t/1"));
        hooks.onPublish(publish("x/1"));

        assertThat(log).containsExactly("forward t/1 to eu");
    }

    @Test
    void onPublish_cameOverALink_neverForwardedAgain() {
        links.start(config);
        remoteRoutes.add("t/#", "eu", "t/#", 0);
        hooks.activate();

        hooks.onPublish(MqttMessage.builder()
                .topic("t/1")
                .timestampMillis(1)
                .originCluster("ap")
                .build());

        assertThat(log).isEmpty();
    }

    @Test
    void onPublish_routeToAClusterWithNoRunningLink_dropped() {
        remoteRoutes.add("t/#", "eu", "t/#", 0);
        links.start(ClusterLinkConfig.builder()
                .name("us")
                .links(List.of(link("ap")))
                .build());
        hooks.activate();

        hooks.onPublish(publish("t/1"));

        assertThat(log).isEmpty();
    }

    private HookDispatcher withAccess(LinkAccess access) {
        return new HookDispatcher(
                "us",
                localRoutes,
                remoteRoutes,
                links,
                new RouteReceiver(
                        liveConfig,
                        guarded,
                        new InProcessRouteStore(),
                        remoteRoutes,
                        counters,
                        new EngineTime(() -> 0L, (task, delay) -> Cancellable.DONE),
                        new SerialExecutors(Runnable::run),
                        EtfLimits.defaults(),
                        ReceiverTimings.EMQX),
                new ForwardedReceiver(liveConfig, guarded, counters, () -> 0L, EtfLimits.defaults()),
                guarded,
                access);
    }

    private static LinkAccess apUserOnClink() {
        LinkAccess.Users users = new LinkAccess.Users();
        users.add("clink", "ap-user", "ap");
        return users.build(java.util.Set.of("clink"));
    }

    @Test
    void onLinkPublish_linkUserForAnotherCluster_refusedAndDisconnectedByTheEngine() {
        HookDispatcher d = withAccess(apUserOnClink());
        d.activate();
        LinkConnection apUser = new LinkConnection("conn-7", "impostor", "ap-user", "10.0.0.7", "clink");

        int code = d.onLinkPublish(apUser, "$LINK/cluster/msg/eu", new byte[] {1}, PublishProperties.EMPTY);

        assertThat(code).isEqualTo(ReasonCodes.NOT_AUTHORIZED);
        assertThat(log).containsExactly("disconnect conn-7 " + ReasonCodes.NOT_AUTHORIZED);
    }

    @Test
    void onLinkPublish_sameUserOnAnotherListenerOrAnotherUser_notConfined() {
        HookDispatcher d = withAccess(apUserOnClink());
        d.activate();

        // The rule is per listener and user: neither connection is the configured link user, so no DISCONNECT
        // for confinement (the message itself is then judged as any other: cluster eu is linked here).
        d.onLinkPublish(
                new LinkConnection("conn-8", "c8", "other-user", null, "clink"),
                "$LINK/cluster/msg/eu",
                new byte[] {1},
                PublishProperties.EMPTY);

        assertThat(log).noneMatch(l -> l.startsWith("disconnect conn-8"));
    }

    @Test
    void onLinkPublish_notOnALinkListener_refusedButKeptConnected() {
        HookDispatcher d = withAccess(apUserOnClink());
        d.activate();

        int code = d.onLinkPublish(
                new LinkConnection("conn-9", "c9", null, null, "default"),
                "$LINK/cluster/msg/eu",
                new byte[] {1},
                PublishProperties.EMPTY);

        assertThat(code).isEqualTo(ReasonCodes.NOT_AUTHORIZED);
        assertThat(log).isEmpty();
    }

    @Test
    void onLinkPublish_notAProtocolTopic_refusedAndDisconnected() {
        hooks.activate();

        int code = hooks.onLinkPublish(CONN, "$LINK/cluster/route/eu/extra", new byte[0], PublishProperties.EMPTY);

        assertThat(code).isEqualTo(ReasonCodes.NOT_AUTHORIZED);
        assertThat(log).containsExactly("disconnect conn-1 " + ReasonCodes.NOT_AUTHORIZED);
    }

    @Test
    void onLinkPublish_notActive_unspecifiedErrorAndNothingElse() {
        int before = hooks.onLinkPublish(CONN, "$LINK/cluster/route/eu", new byte[0], PublishProperties.EMPTY);
        hooks.activate();
        hooks.deactivate();
        int after = hooks.onLinkPublish(CONN, "$LINK/cluster/route/eu", new byte[0], PublishProperties.EMPTY);

        assertThat(before).isEqualTo(ReasonCodes.UNSPECIFIED_ERROR);
        assertThat(after).isEqualTo(ReasonCodes.UNSPECIFIED_ERROR);
        assertThat(log).isEmpty();
    }
}
