package io.clink.core.scenarios;

import static io.clink.core.scenarios.LinkedClusters.config;
import static io.clink.core.scenarios.LinkedClusters.link;
import static io.clink.core.scenarios.LinkedClusters.payloads;
import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.link.ActorState;
import io.clink.api.link.LinkMetrics;
import io.clink.api.link.LinkStatus;
import io.clink.core.scenarios.LinkedClusters.Node;
import io.clink.testkit.FakeBrokerClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour scenarios of protocol document section 8, end to end through two {@code ClusterLink} engines, fake
 * brokers and the in-memory link network. "S" is the source cluster (its link has {@code topics = []}), "T" the
 * target ({@code topics = ["#"]}), unless a test says otherwise.
 */
class LinkScenariosTest {

    private final LinkedClusters clusters = new LinkedClusters();

    @AfterEach
    void tearDown() {
        clusters.close();
    }

    private Node[] sourceAndTarget() {
        Node s = clusters.start("S", config("S", link("T")));
        Node t = clusters.start("T", config("T", link("S", "#")));
        clusters.settle();
        return new Node[] {s, t};
    }

    private static ActorState actorState(Node node, String link) {
        LinkStatus status = node.link.status(link).orElseThrow();
        return status.actors().get(0).state();
    }

    /** Scenario 1 (t_message_forwarding): incremental route sync while online, exactly-once delivery. */
    @Test
    void forwarding_routesSyncedWhileOnline_deliveredExactlyOnce() {
        Node[] st = sourceAndTarget();
        Node s = st[0];
        Node t = st[1];
        assertThat(actorState(s, "T")).isEqualTo(ActorState.ONLINE);
        assertThat(actorState(t, "S")).isEqualTo(ActorState.ONLINE);
        FakeBrokerClient c1 = t.client("c1");
        FakeBrokerClient c2 = t.client("c2");
        c1.subscribe("t1/+", 1);
        c2.subscribe("t1/#", 1);
        clusters.settle();

        s.client("pub").publish("t1/42", "hello".getBytes(), 1, false);
        clusters.settle();

        assertThat(payloads(c1.deliveries())).containsExactly("t1/42=hello");
        assertThat(payloads(c2.deliveries())).containsExactly("t1/42=hello");

        c1.subscribe("t2/#", 1);
        c2.subscribe("t2/+/+", 1);
        clusters.settle();
        s.client("pub").publish("t2/3/4", "x".getBytes(), 1, false);
        s.client("pub").publish("other/1", "y".getBytes(), 1, false);
        clusters.settle();

        assertThat(payloads(c1.deliveries())).containsExactly("t1/42=hello", "t2/3/4=x");
        assertThat(payloads(c2.deliveries())).containsExactly("t1/42=hello", "t2/3/4=x");
        assertThat(s.link.metrics("T").orElseThrow().forwarded()).isEqualTo(2);
    }

    /** Scenario 2 (t_message_forwarding_sharesub): shared groups get one copy per cluster. */
    @Test
    void forwarding_sharedSubscriptions_oneCopyPerGroup() {
        Node[] st = sourceAndTarget();
        FakeBrokerClient c1 = st[1].client("c1");
        FakeBrokerClient c2 = st[1].client("c2");
        c1.subscribe("$share/test-group/t1/+", 1);
        c2.subscribe("$share/test-group/t1/#", 1);
        clusters.settle();

        st[0].client("pub").publish("t1/42", "m".getBytes(), 1, false);
        clusters.settle();

        assertThat(payloads(c1.deliveries())).containsExactly("t1/42=m");
        assertThat(payloads(c2.deliveries())).containsExactly("t1/42=m");
    }

    /** Loop prevention: a message that arrived over a link is never forwarded again, even on a symmetric link. */
    @Test
    void forwarding_symmetricLinkBothSubscribed_noEcho() {
        Node a = clusters.start("A", config("A", link("B", "#")));
        Node b = clusters.start("B", config("B", link("A", "#")));
        FakeBrokerClient subA = a.client("subA");
        FakeBrokerClient subB = b.client("subB");
        subA.subscribe("loop/#", 1);
        subB.subscribe("loop/#", 1);
        clusters.settle();

        a.client("pub").publish("loop/1", "once".getBytes(), 1, false);
        clusters.settle();

        assertThat(payloads(subA.deliveries())).containsExactly("loop/1=once");
        assertThat(payloads(subB.deliveries())).containsExactly("loop/1=once");
        assertThat(subB.deliveries().get(0).originCluster()).contains("A");
        assertThat(b.link.metrics("A").orElseThrow().forwarded()).isZero();
    }

    /** The EMQX quick start, in memory: symmetric `#` link, both directions. */
    @Test
    void quickStart_symmetricLink_bothDirections() {
        Node usEast = clusters.start("cluster-us-east", config("cluster-us-east", link("cluster-eu-west", "#")));
        Node euWest = clusters.start("cluster-eu-west", config("cluster-eu-west", link("cluster-us-east", "#")));
        FakeBrokerClient sub = usEast.client("sub");
        sub.subscribe("linked/#", 1);
        clusters.settle();

        euWest.client("pub").publish("linked/42", "Hello from the other side!".getBytes(), 1, false);
        FakeBrokerClient subEu = euWest.client("sub-eu");
        subEu.subscribe("linked/#", 1);
        clusters.settle();
        usEast.client("pub").publish("linked/1", "Hello from US!".getBytes(), 1, false);
        clusters.settle();

        assertThat(payloads(sub.deliveries()))
                .containsExactly("linked/42=Hello from the other side!", "linked/1=Hello from US!");
        assertThat(payloads(subEu.deliveries())).containsExactly("linked/1=Hello from US!");
    }

    /** The asymmetric quick start: eu-west has topics = [], so us-east's publishes stay home. */
    @Test
    void quickStart_asymmetricLink_oneWayOnly() {
        Node usEast = clusters.start("cluster-us-east", config("cluster-us-east", link("cluster-eu-west", "#")));
        Node euWest = clusters.start("cluster-eu-west", config("cluster-eu-west", link("cluster-us-east")));
        FakeBrokerClient subUs = usEast.client("sub-us");
        FakeBrokerClient subEu = euWest.client("sub-eu");
        subUs.subscribe("linked/#", 1);
        subEu.subscribe("linked/#", 1);
        clusters.settle();

        euWest.client("pub").publish("linked/42", "to us".getBytes(), 1, false);
        usEast.client("pub").publish("linked/1", "stays".getBytes(), 1, false);
        clusters.settle();

        assertThat(payloads(subUs.deliveries())).containsExactlyInAnyOrder("linked/42=to us", "linked/1=stays");
        assertThat(payloads(subEu.deliveries())).containsExactly("linked/42=to us");
    }

    /** Unsubscribing the last subscriber withdraws the route: forwarding stops. */
    @Test
    void unsubscribe_lastSubscriber_forwardingStops() {
        Node[] st = sourceAndTarget();
        FakeBrokerClient c = st[1].client("c");
        c.subscribe("u/#", 1);
        clusters.settle();
        c.unsubscribe("u/#");
        clusters.settle();

        st[0].client("pub").publish("u/1", "x".getBytes(), 1, false);
        clusters.settle();

        assertThat(c.deliveries()).isEmpty();
        assertThat(st[0].link.metrics("T").orElseThrow().remoteRoutes()).isZero();
    }

    /** Scenario 19 (t_config_update): bootstrap of routes that predate the link, topic change, disable, delete. */
    @Test
    void configLifecycle_bootstrapTopicChangeDisableDelete() {
        Node a = clusters.start("A", config("A"));
        Node b = clusters.start("B", config("B"));
        FakeBrokerClient subA = a.client("subA");
        FakeBrokerClient subB = b.client("subB");
        subA.subscribe("t/test/#", 1);
        subA.subscribe("t/new/+", 1);
        subB.subscribe("t/test-topic", 1);
        clusters.settle();

        a.update(config("A", link("B", "t/test-topic", "t/test/#")));
        b.update(config("B", link("A", "t/test-topic", "t/test/#")));
        clusters.settle();
        assertThat(actorState(a, "B")).isEqualTo(ActorState.ONLINE);
        a.client("pa").publish("t/test-topic", "to B".getBytes(), 1, false);
        b.client("pb").publish("t/test/1/1", "to A".getBytes(), 1, false);
        clusters.settle();
        assertThat(payloads(subB.deliveries())).containsExactly("t/test-topic=to B");
        assertThat(payloads(subA.deliveries())).containsExactly("t/test/1/1=to A");

        a.update(config("A", link("B", "t/new/+")));
        clusters.settle();
        b.client("pb").publish("t/test/1/2", "old".getBytes(), 1, false);
        b.client("pb").publish("t/new/1", "new".getBytes(), 1, false);
        clusters.settle();
        assertThat(payloads(subA.deliveries())).containsExactly("t/test/1/1=to A", "t/new/1=new");

        a.update(config("A", link("B", "t/new/+").toBuilder().enable(false).build()));
        b.client("pb").publish("t/new/2", "after disable".getBytes(), 1, false);
        clusters.settle();
        assertThat(payloads(subA.deliveries())).containsExactly("t/test/1/1=to A", "t/new/1=new");
        assertThat(a.link.status("B").orElseThrow().enabled()).isFalse();

        a.update(config("A"));
        b.update(config("B"));
        clusters.settle();
        assertThat(a.link.status()).isEmpty();
        assertThat(b.link.metrics("A")).isEmpty();
    }

    /** Scenario 21 (t_misconfigured_links): each misconfiguration is rejected and reported in status. */
    @Test
    void misconfiguredLinks_handshakeRejected_reasonInStatus() {
        Node a = clusters.start("A", config("A", link("B", "#")));
        Node b = clusters.start("B", config("B", link("wrong-name-for-A", "#")));
        clusters.settle();
        assertThat(a.link.status("B").orElseThrow().actors().get(0).lastErrorMessage())
                .hasValueSatisfying(m -> assertThat(m).contains("unknown_cluster"));

        b.update(config("B", link("A", "#").toBuilder().enable(false).build()));
        clusters.advance(Duration.ofSeconds(65));
        clusters.settle();
        assertThat(a.link.status("B").orElseThrow().actors().get(0).lastErrorMessage())
                .hasValueSatisfying(m -> assertThat(m).contains("cluster_link_disabled"));
        assertThat(actorState(a, "B")).isNotEqualTo(ActorState.ONLINE);
    }

    /** Scenario 21, third case: the sender names a target cluster that is not the receiver's name. */
    @Test
    void misconfiguredLinks_wrongTargetName_badRemoteClusterLinkName() {
        Node b = clusters.start("B", config("B", link("A", "#")));
        // A's link is named "C" but points at B's listener.
        Node a = clusters.start(
                "A", config("A", link("C", "#").toBuilder().server("B:11883").build()));
        clusters.settle();

        assertThat(a.link.status("C").orElseThrow().actors().get(0).lastErrorMessage())
                .hasValueSatisfying(m -> assertThat(m).contains("bad_remote_cluster_link_name"));
        assertThat(b.link.metrics("A").orElseThrow().remoteRoutes()).isZero();
    }

    /** Scenario 27 (t_metrics): route counts follow subscriptions, only where topics let them through. */
    @Test
    void metrics_routeCountsFollowSubscriptions() {
        Node[] st = sourceAndTarget();
        Node s = st[0];
        Node t = st[1];
        s.client("s1").subscribe("s/1", 1);
        s.client("s2").subscribe("s/2", 1);
        clusters.settle();
        assertThat(t.link.metrics("S").orElseThrow().remoteRoutes()).isZero();
        assertThat(s.link.metrics("T").orElseThrow().remoteRoutes()).isZero();

        FakeBrokerClient t1 = t.client("t1");
        t1.subscribe("t/1", 1);
        t.client("t2").subscribe("t/2", 1);
        clusters.settle();
        assertThat(s.link.metrics("T").orElseThrow().remoteRoutes()).isEqualTo(2);
        assertThat(t.link.metrics("S").orElseThrow().remoteRoutes()).isZero();

        t1.unsubscribe("t/1");
        clusters.settle();
        assertThat(s.link.metrics("T").orElseThrow().remoteRoutes()).isEqualTo(1);

        t.update(config("T", link("S", "#").toBuilder().enable(false).build()));
        clusters.advance(Duration.ofSeconds(65));
        clusters.settle();
        assertThat(s.link.metrics("T").orElseThrow().remoteRoutes()).isZero();

        t.update(config("T", link("S", "#")));
        clusters.settle();
        assertThat(s.link.metrics("T").orElseThrow().remoteRoutes()).isEqualTo(1);
        LinkMetrics m = t.link.metrics("S").orElseThrow();
        assertThat(m.routesSent()).isGreaterThanOrEqualTo(1);
    }

    /** Scenario 30 (t_disable_reenable): disable, let GC run, re-enable, new subscriptions: all delivered. */
    @Test
    void disableReenable_keepsWorking() {
        Node[] st = sourceAndTarget();
        Node s = st[0];
        Node t = st[1];
        FakeBrokerClient c = t.client("c");
        c.subscribe("a/1", 1);
        c.subscribe("a/2", 1);
        clusters.settle();

        s.update(config("S", link("T").toBuilder().enable(false).build()));
        clusters.advance(Duration.ofSeconds(65));
        clusters.settle();
        s.update(config("S", link("T")));
        c.subscribe("a/3", 1);
        c.subscribe("a/4", 1);
        // T's actor was refused while S's link was disabled; its backoff (capped at 10 s) decides when it is back.
        clusters.advance(Duration.ofSeconds(61));
        clusters.settle();

        for (int i = 1; i <= 4; i++) {
            s.client("pub").publish("a/" + i, ("m" + i).getBytes(), 1, false);
        }
        clusters.settle();
        assertThat(payloads(c.deliveries())).containsExactly("a/1=m1", "a/2=m2", "a/3=m3", "a/4=m4");
    }

    /** A restarted broker relinks with a new incarnation and its routes are rebuilt (scenario 13 end to end). */
    @Test
    void restart_target_routesRebuiltAndForwardingResumes() {
        Node[] st = sourceAndTarget();
        Node s = st[0];
        Node t = st[1];
        t.client("c").subscribe("r/#", 1);
        clusters.settle();
        long before = s.link.metrics("T").orElseThrow().remoteRoutes();

        t.restart();
        FakeBrokerClient c = t.client("c");
        c.subscribe("r/#", 1);
        clusters.settle();
        s.client("pub").publish("r/1", "after restart".getBytes(), 1, false);
        clusters.settle();

        assertThat(before).isEqualTo(1);
        assertThat(s.link.metrics("T").orElseThrow().remoteRoutes()).isEqualTo(1);
        assertThat(payloads(c.deliveries())).containsExactly("r/1=after restart");
    }

    /** A cut link comes back by itself (backoff) and routes made while it was down arrive. */
    @Test
    void linkCut_reconnectsAndConverges() {
        Node[] st = sourceAndTarget();
        Node s = st[0];
        Node t = st[1];
        FakeBrokerClient c = t.client("c");
        c.subscribe("k/1", 1);
        clusters.settle();

        s.endpoint.cutAll();
        c.subscribe("k/2", 1);
        clusters.advance(Duration.ofSeconds(70));
        clusters.settle();
        s.client("pub").publish("k/2", "back".getBytes(), 1, false);
        clusters.settle();

        assertThat(actorState(t, "S")).isEqualTo(ActorState.ONLINE);
        assertThat(payloads(c.deliveries())).containsExactly("k/2=back");
        assertThat(s.link.metrics("T").orElseThrow().remoteRoutes()).isEqualTo(2);
    }

    /** Session end without unsubscribe events: the periodic resync withdraws the routes anyway. */
    @Test
    void lostSessionEndEvents_resyncWithdrawsRoutes() {
        Node[] st = sourceAndTarget();
        Node s = st[0];
        Node t = st[1];
        t.broker.loseSessionEndEvents(true);
        FakeBrokerClient c = t.client("gone");
        c.subscribe("z/#", 1);
        clusters.settle();
        assertThat(s.link.metrics("T").orElseThrow().remoteRoutes()).isEqualTo(1);

        c.disconnect();
        clusters.advance(Duration.ofSeconds(61));
        clusters.settle();

        assertThat(s.link.metrics("T").orElseThrow().remoteRoutes()).isZero();
    }

    /**
     * Scenario 6 (t_target_extrouting_gc): T has two nodes, each with its own actor. When T2 dies, S collects its
     * actor after the TTL and stops forwarding what only T2 wanted, while T1's routes keep working.
     */
    @Test
    void remoteNodeLoss_actorCollected_noUnnecessaryForwarding() {
        Node s = clusters.start("S", config("S", link("T")));
        Node t1 = clusters.start("T", config("T", link("S", "#")));
        Node t2 = clusters.start("T-2", config("T", link("S", "#")));
        FakeBrokerClient c1 = t1.client("c1");
        FakeBrokerClient c2 = t2.client("c2");
        c1.subscribe("t/+", 1);
        c2.subscribe("t/#", 1);
        clusters.settle();
        assertThat(s.link.remoteRoutes("T")).hasSize(2);

        t2.stop();
        // Within the TTL the dead node's routes are still there; after TTL + a GC pass they are gone.
        clusters.advance(Duration.ofSeconds(20));
        assertThat(s.link.remoteRoutes("T")).hasSize(2);
        clusters.advance(Duration.ofSeconds(45));
        clusters.settle();
        assertThat(s.link.remoteRoutes("T")).extracting(r -> r.filter()).containsExactly("t/+");

        long forwardedBefore = s.link.metrics("T").orElseThrow().forwarded();
        s.client("pub").publish("t/4/ext", "nobody".getBytes(), 1, false);
        s.client("pub").publish("t/5", "t1".getBytes(), 1, false);
        clusters.settle();
        assertThat(s.link.metrics("T").orElseThrow().forwarded()).isEqualTo(forwardedBefore + 1);
        assertThat(payloads(c1.deliveries())).containsExactly("t/5=t1");

        t1.stop();
        clusters.advance(Duration.ofSeconds(65));
        clusters.settle();
        assertThat(s.link.remoteRoutes("T")).isEmpty();
    }
}
