package io.clink.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.testkit.mqtt.MqttTestClient;
import io.clink.testkit.mqtt.Received;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * EMQX's "Quick Start with Cluster Linking", reproduced with two embedded HiveMQ brokers running clink and real Paho
 * clients (no clink code on the client side): subscribe {@code linked/#} at QoS 1 on cluster-us-east, publish
 * {@code linked/42} on cluster-eu-west, received; then the other way; then the asymmetric variant.
 */
class QuickStartIT {

    private static final long WAIT_MS = 30_000;

    @AutoClose
    private final OpenBrokers open = new OpenBrokers();

    @Test
    void quickStart_symmetricLink_deliversBothWays() throws Exception {
        Demo.Ports p = TestPorts.demo();
        EmbeddedClusterBroker us = open.start(Demo.config("us", Demo.usEast(p)));
        EmbeddedClusterBroker eu = open.start(Demo.config("eu", Demo.euWest(p, List.of("#"))));
        MqttTestClient usSub = open.client(us, "us-sub");
        MqttTestClient usAll = open.client(us, "us-wildcard");
        MqttTestClient euPub = open.client(eu, "eu-pub");
        usSub.subscribe("linked/#", 1);
        usAll.subscribe("#", 1);

        Received r = publishUntilReceived(euPub, "linked/42", "Hello from the other side!", usSub);

        assertThat(r.topic()).isEqualTo("linked/42");
        assertThat(r.payload()).isEqualTo("Hello from the other side!");
        assertThat(r.qos()).isEqualTo(1);

        MqttTestClient euSub = open.client(eu, "eu-sub");
        MqttTestClient usPub = open.client(us, "us-pub");
        euSub.subscribe("linked/#", 1);

        Received back = publishUntilReceived(usPub, "linked/1", "Hello from US!", euSub);

        assertThat(back.topic()).isEqualTo("linked/1");
        assertThat(back.payload()).isEqualTo("Hello from US!");
        // The "#" subscriber saw the forwarded message, and never any link-protocol traffic.
        List<String> seen = new ArrayList<>();
        usAll.received().forEach(m -> seen.add(m.topic()));
        assertThat(seen).contains("linked/42").noneMatch(t -> t.startsWith("$"));
    }

    @Test
    void quickStart_asymmetricLink_onlyEuWestToUsEast() throws Exception {
        Demo.Ports p = TestPorts.demo();
        EmbeddedClusterBroker us = open.start(Demo.config("us", Demo.usEast(p)));
        EmbeddedClusterBroker eu = open.start(Demo.config("eu", Demo.euWest(p, List.of())));
        MqttTestClient usSub = open.client(us, "us-sub");
        MqttTestClient euSub = open.client(eu, "eu-sub");
        MqttTestClient euPub = open.client(eu, "eu-pub");
        MqttTestClient usPub = open.client(us, "us-pub");
        usSub.subscribe("linked/#", 1);
        euSub.subscribe("linked/#", 1);

        // eu-west -> us-east still works: us-east asked for "#".
        Received r = publishUntilReceived(euPub, "linked/42", "Hello from the other side!", usSub);
        assertThat(r.payload()).isEqualTo("Hello from the other side!");

        // us-east -> eu-west does not: eu-west asked for nothing. The link is up (proved above), so a few seconds of
        // publishing is a fair chance for a wrong forward to show.
        // (euSub also gets eu-west's own publishes above, locally; only us-east's topic matters here.)
        for (int i = 0; i < 6; i++) {
            usPub.publish("linked/1", "Hello from US!", 1);
            Thread.sleep(500);
        }
        assertThat(euSub.received())
                .as("eu-west must not receive us-east's messages")
                .noneMatch(m -> m.topic().equals("linked/1"));
        // The message was published, and us-east's own subscriber got it locally.
        assertThat(usSub.received()).anyMatch(m -> m.topic().equals("linked/1"));
    }

    /** Publishes every 500 ms until the subscriber gets the message (routes replicate asynchronously, as in EMQX). */
    private static Received publishUntilReceived(MqttTestClient pub, String topic, String payload, MqttTestClient sub)
            throws Exception {
        return pub.publishUntilReceived(topic, payload, sub, Duration.ofMillis(500))
                .message();
    }
}
