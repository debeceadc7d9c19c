package io.clink.broker.reliability;

import static io.clink.broker.reliability.GuardedClusters.AP;
import static io.clink.broker.reliability.GuardedClusters.AP_PASSWORD;
import static io.clink.broker.reliability.GuardedClusters.AP_USER;
import static io.clink.broker.reliability.GuardedClusters.US;
import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.link.LinkMetrics;
import io.clink.api.link.RemoteRoute;
import io.clink.core.internal.protocol.ControlCodec;
import io.clink.core.internal.protocol.ControlMessage.ActorInit;
import io.clink.core.internal.protocol.ControlMessage.Heartbeat;
import io.clink.testkit.Await;
import io.clink.testkit.mqtt.MqttTestClient;
import io.clink.testkit.mqtt.Received;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12, route half: a plain MQTT 5 client plays an EMQX route actor of {@code cluster-ap-south} on
 * {@code cluster-us-east}'s link listener and sends the route batches a real Erlang runtime encoded
 * ({@code route_emqx_*} golden vectors of clink-core): durable-session route ids that are not UTF-8, mixed with
 * normal ids, and ops whose filters clink cannot use. The good ops are applied and listed (ids escaped), the bad ones
 * are counted in {@code routesSkipped}, local publishes matching the new routes are matched for forwarding, and the
 * link connection is never disconnected.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class EmqxRouteInteropIT {

    static final long WAIT_MS = 10_000;
    /** The actor name the vectors carry (key 10). */
    static final String ACTOR = "emqx@10.0.0.2";

    private GuardedClusters clusters;
    private MqttTestClient peer;
    private MqttTestClient publisher;

    /** The vector's bytes, from clink-core's test resources (the reactor's sibling module). */
    private static byte[] vector(String file) throws IOException {
        Path p = Path.of("..", "clink-core", "src", "test", "resources", "vectors", file);
        assertThat(p)
                .as("golden vector %s (run from the clink-broker module directory)", p)
                .exists();
        return Files.readAllBytes(p);
    }

    @BeforeEach
    void start() throws Exception {
        clusters = GuardedClusters.start();
        peer = GuardedClusters.connect(clusters.usLinkUri(), "ap-south:routesync:" + ACTOR, AP_USER, AP_PASSWORD);
        publisher = GuardedClusters.connect(clusters.usMqttUri(), "local-publisher", null, null);
    }

    @AfterEach
    void stop() {
        if (publisher != null) {
            publisher.closeQuietly();
        }
        if (peer != null) {
            peer.closeQuietly();
        }
        if (clusters != null) {
            clusters.close();
        }
    }

    @Test
    void emqxRouteBatches_nonUtf8IdsAndInvalidFilters_appliedSkippedCountedNeverDisconnected() throws Exception {
        assertThat(peer.trySubscribe("$LINK/cluster/resp/" + AP + "/#", 1))
                .as("SUBACK for the acks")
                .isEqualTo(1);
        MqttProperties handshake = new MqttProperties();
        handshake.setResponseTopic("$LINK/cluster/resp/" + AP + "/" + ACTOR);
        handshake.setCorrelationData(new byte[] {7, 7, 7});
        assertThat(peer.tryPublish(
                        "$LINK/cluster/route/" + AP,
                        ControlCodec.encode(new ActorInit(ACTOR, 1_722_945_600_000L, US, 1)),
                        1,
                        handshake))
                .as("PUBACK of actor_init")
                .isEqualTo(0x10);
        Received ack = peer.received().poll(WAIT_MS, TimeUnit.MILLISECONDS);
        assertThat(ack).as("actor_init_ack").isNotNull();

        assertThat(peer.tryPublish("$LINK/cluster/route/" + AP, vector("route_emqx_non_utf8_ids.etf"), 1, null))
                .as("PUBACK of the batch of non-UTF-8 ids")
                .isEqualTo(0x10);
        assertThat(peer.tryPublish("$LINK/cluster/route/" + AP, vector("route_emqx_mixed.compressed.etf"), 1, null))
                .as("PUBACK of the mixed batch, compressed as EMQX 6.0.3+ sends it")
                .isEqualTo(0x10);
        assertThat(peer.tryPublish("$LINK/cluster/route/" + AP, vector("route_emqx_mixed.etf"), 1, null))
                .as("PUBACK of the mixed batch resent, as EMQX would after a lost PUBACK")
                .isEqualTo(0x10);
        assertThat(peer.tryPublish("$LINK/cluster/route/" + AP, ControlCodec.encode(new Heartbeat(ACTOR, 1)), 1, null))
                .as("PUBACK of a heartbeat on the same connection")
                .isEqualTo(0x10);

        Set<RemoteRoute> expected = Set.of(
                new RemoteRoute("t/1", "t/1"),
                new RemoteRoute("dev/#", "$p/\\xFF\\xFEdev/dev/#"),
                new RemoteRoute("dev/#", "$p/caf\\xE9/dev/#"),
                new RemoteRoute("dev/+/x", "$sp/grp/x\\xC3/dev/+/x"),
                new RemoteRoute("t/+", "$s/g1/t/+"),
                new RemoteRoute("dev/#", "$p/sensor-\u03b1/dev/#"));
        assertThat(clusters.usLink.remoteRoutes(AP)).isEqualTo(expected);
        LinkMetrics m = clusters.usLink.metrics(AP).orElseThrow();
        // Two mixed batches, four ops skipped in each: a/#/b, a+ and the empty filter, and t/<0xFF>.
        assertThat(m.routesSkipped()).isEqualTo(8);
        assertThat(m.routesReceived()).isEqualTo(7 + 5 + 5);
        assertThat(m.remoteRoutes()).isEqualTo(6);

        // A local publish matched by the batch's filters is matched for forwarding to cluster-ap-south (whose own
        // listener is down, so the message is buffered or dropped there: matched counts both).
        long matchedBefore = m.matched();
        assertThat(publisher.tryPublish("dev/42", "for ap-south".getBytes(StandardCharsets.UTF_8), 1, null))
                .isIn(0, 0x10);
        Await.until(
                "the publish on dev/42 is matched for cluster-ap-south",
                Duration.ofSeconds(30),
                () -> clusters.usLink.metrics(AP).orElseThrow().matched() > matchedBefore);

        assertThat(peer.awaitServerDisconnect(Duration.ofMillis(500)))
                .as("server DISCONNECT")
                .isEqualTo(MqttTestClient.NO_DISCONNECT);
        assertThat(peer.isConnected()).as("the link connection is still up").isTrue();
    }
}
