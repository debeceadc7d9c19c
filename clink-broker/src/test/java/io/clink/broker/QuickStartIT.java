package io.clink.broker;

import static io.clink.broker.TestClients.freePorts;
import static org.assertj.core.api.Assertions.assertThat;

import io.clink.broker.TestClients.Client;
import io.clink.broker.TestClients.Received;

import io.clink.hivemq.ClinkEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * EMQX's "Quick Start with Cluster Linking", reproduced with two embedded HiveMQ brokers running clink and real Paho
 * clients (no clink code on the client side): subscribe {@code linked/#} at QoS 1 on cluster-us-east, publish
 * {@code linked/42} on cluster-eu-west, received; then the other way; then the asymmetric variant.
 */
class QuickStartIT {

    private static final long WAIT_MS = 30_000;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void quickStart_symmetricLink_deliversBothWays() throws Exception {
        Demo.Ports p = freePorts();
        EmbeddedClusterBroker us = start(Demo.config("us", Demo.usEast(p)));
        EmbeddedClusterBroker eu = start(Demo.config("eu", Demo.euWest(p, List.of("#"))));
        Client usSub = client(us.config().mqtt().port(), "us-sub");
        Client usAll = client(us.config().mqtt().port(), "us-wildcard");
        Client euPub = client(eu.config().mqtt().port(), "eu-pub");
        usSub.subscribe("linked/#", 1);
        usAll.subscribe("#", 1);

        Received r = publishUntilReceived(euPub, "linked/42", "Hello from the other side!", usSub);

        assertThat(r.topic()).isEqualTo("linked/42");
        assertThat(r.payload()).isEqualTo("Hello from the other side!");
        assertThat(r.qos()).isEqualTo(1);

        Client euSub = client(eu.config().mqtt().port(), "eu-sub");
        Client usPub = client(us.config().mqtt().port(), "us-pub");
        euSub.subscribe("linked/#", 1);

        Received back = publishUntilReceived(usPub, "linked/1", "Hello from US!", euSub);

        assertThat(back.topic()).isEqualTo("linked/1");
        assertThat(back.payload()).isEqualTo("Hello from US!");
        // The "#" subscriber saw the forwarded message, and never any link-protocol traffic.
        List<String> seen = new ArrayList<>();
        usAll.received.forEach(m -> seen.add(m.topic()));
        assertThat(seen).contains("linked/42").noneMatch(t -> t.startsWith("$"));
    }

    @Test
    void quickStart_asymmetricLink_onlyEuWestToUsEast() throws Exception {
        Demo.Ports p = freePorts();
        EmbeddedClusterBroker us = start(Demo.config("us", Demo.usEast(p)));
        EmbeddedClusterBroker eu = start(Demo.config("eu", Demo.euWest(p, List.of())));
        Client usSub = client(us.config().mqtt().port(), "us-sub");
        Client euSub = client(eu.config().mqtt().port(), "eu-sub");
        Client euPub = client(eu.config().mqtt().port(), "eu-pub");
        Client usPub = client(us.config().mqtt().port(), "us-pub");
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
        assertThat(euSub.received).as("eu-west must not receive us-east's messages")
                .noneMatch(m -> m.topic().equals("linked/1"));
        // The message was published, and us-east's own subscriber got it locally.
        assertThat(usSub.received).anyMatch(m -> m.topic().equals("linked/1"));
    }

    private EmbeddedClusterBroker start(BrokerConfig config) {
        EmbeddedClusterBroker b = EmbeddedClusterBroker.start(config, ClinkEngine::starter);
        open.add(b);
        return b;
    }

    private Client client(int port, String id) throws MqttException {
        Client c = new Client("tcp://127.0.0.1:" + port, id);
        open.add(c);
        return c;
    }

    /**
     * Publishes every 500 ms until the subscriber gets the message (routes replicate asynchronously, as in EMQX),
     * at most {@link #WAIT_MS}.
     */
    private static Received publishUntilReceived(Client pub, String topic, String payload, Client sub)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (System.nanoTime() < deadline) {
            pub.publish(topic, payload, 1);
            Received r = sub.received.poll(500, TimeUnit.MILLISECONDS);
            while (r != null) {
                if (r.topic().equals(topic)) {
                    return r;
                }
                r = sub.received.poll(10, TimeUnit.MILLISECONDS);
            }
        }
        throw new AssertionError(topic + " never reached " + sub.client.getClientId() + " within " + WAIT_MS + " ms");
    }
}
