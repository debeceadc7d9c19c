package io.clink.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.link.LinkMetrics;
import io.clink.core.ClusterLink;
import io.clink.testkit.Await;
import io.clink.testkit.mqtt.MqttTestClient;
import io.clink.testkit.mqtt.Received;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The link's behaviour end to end, beyond the quick start: two embedded HiveMQ brokers running clink, linked both
 * ways with {@code topics = ["#"]}, driven by plain Paho MQTT 5 clients. A test watches the engines' routes and
 * metrics ({@link EmbeddedClusterBroker#link()}) instead of sleeping.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LinkBehaviourIT {

    private static final long WAIT_MS = 30_000;
    private static final String US = "cluster-us-east";
    private static final String EU = "cluster-eu-west";

    @AutoClose
    private final OpenBrokers open = new OpenBrokers();

    private Demo.Ports ports;
    /** The eu-west broker started last (a restart replaces it). */
    private EmbeddedClusterBroker euBroker;

    @Test
    void unsubscribe_lastSubscriberLeaves_routeWithdrawnAndNothingForwarded() throws Exception {
        EmbeddedClusterBroker us = startUs();
        EmbeddedClusterBroker eu = startEu();
        MqttTestClient usSub = open.client(us, "us-sub");
        MqttTestClient usProbe = open.client(us, "us-probe");
        MqttTestClient euPub = open.client(eu, "eu-pub");
        usSub.subscribe("linked/#", 1);
        usProbe.subscribe("probe/#", 1);
        publishUntilReceived(euPub, "linked/42", "before", usSub);
        publishUntilReceived(euPub, "probe/1", "probe", usProbe);

        usSub.paho().unsubscribe("linked/#").waitForCompletion(WAIT_MS);
        await(
                "eu-west drops us-east's linked/# route",
                () -> euLink().remoteRoutes(US).stream()
                        .noneMatch(r -> r.filter().equals("linked/#")));
        assertThat(euLink().remoteRoutes(US)).anyMatch(r -> r.filter().equals("probe/#"));

        long forwardedBefore = metrics(euLink(), US).forwarded();
        euPub.publish("linked/43", "after", 1);
        // The probe follows the same link connection, so once it arrived the earlier publish had its chance.
        int probes = publishUntilReceived(euPub, "probe/2", "probe", usProbe);
        await(
                "eu-west counts the probes it forwarded",
                () -> metrics(euLink(), US).forwarded() >= forwardedBefore + probes);

        assertThat(metrics(euLink(), US).forwarded() - forwardedBefore)
                .as("only the probes were forwarded, not linked/43")
                .isEqualTo(probes);
        assertThat(usSub.received()).noneMatch(m -> m.topic().equals("linked/43"));
    }

    @Test
    void sharedSubscription_twoMembersInOneCluster_oneCopyInThatCluster() throws Exception {
        EmbeddedClusterBroker us = startUs();
        EmbeddedClusterBroker eu = startEu();
        MqttTestClient m1 = open.client(us, "us-member-1");
        MqttTestClient m2 = open.client(us, "us-member-2");
        MqttTestClient euPub = open.client(eu, "eu-pub");
        m1.subscribe("$share/g/linked/#", 1);
        m2.subscribe("$share/g/linked/#", 1);
        await(
                "eu-west learns us-east's shared route",
                () -> !euLink().remoteRoutes(US).isEmpty());
        // Warm up until the link carries the group's traffic, then start counting from an empty slate.
        long deadline = deadline();
        while (m1.received().isEmpty() && m2.received().isEmpty()) {
            assertThat(System.nanoTime())
                    .as("the shared group never got a message")
                    .isLessThan(deadline);
            euPub.publish("linked/warmup", "warmup", 1);
            pollEither(m1, m2, 500);
        }
        awaitQuiet(m1, m2);
        m1.received().clear();
        m2.received().clear();

        euPub.publish("linked/42", "exactly once", 1);
        await("a group member gets the message", () -> count(m1, m2, "linked/42") >= 1);
        awaitQuiet(m1, m2);

        assertThat(count(m1, m2, "linked/42"))
                .as("copies delivered to the group in us-east")
                .isEqualTo(1);
    }

    @Test
    void publish_mqtt5PropertiesAndRetain_crossTheLinkUnchanged() throws Exception {
        EmbeddedClusterBroker us = startUs();
        EmbeddedClusterBroker eu = startEu();
        MqttTestClient usSub = open.client(us, "us-sub");
        MqttTestClient usPlain = open.client(us, "us-plain");
        MqttTestClient euPub = open.client(eu, "eu-pub");
        usPlain.subscribe("linked/#", 1);
        MqttSubscription rap = new MqttSubscription("linked/#", 1);
        rap.setRetainAsPublished(true);
        usSub.paho().subscribe(rap).waitForCompletion(WAIT_MS);
        publishUntilReceived(euPub, "linked/warmup", "warmup", usSub);

        MqttMessage m = new MqttMessage("{\"t\":21.5}".getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        m.setRetained(true);
        MqttProperties p = new MqttProperties();
        List<UserProperty> user = List.of(
                new UserProperty("k", "1"),
                new UserProperty("a", "x"),
                new UserProperty("k", "2"),
                new UserProperty("k", "1"));
        p.setUserProperties(user);
        p.setContentType("application/json");
        p.setResponseTopic("reply/us");
        p.setCorrelationData(new byte[] {0, 1, 2, (byte) 0xFF});
        p.setPayloadFormat(true);
        p.setMessageExpiryInterval(3600L);
        m.setProperties(p);
        euPub.paho().publish("linked/props", m).waitForCompletion(WAIT_MS);

        Received r = awaitTopic(usSub, "linked/props");
        MqttProperties got = r.message().getProperties();
        assertThat(new String(r.message().getPayload(), StandardCharsets.UTF_8)).isEqualTo("{\"t\":21.5}");
        assertThat(got.getUserProperties()).as("order and duplicates kept").containsExactlyElementsOf(user);
        assertThat(got.getContentType()).isEqualTo("application/json");
        assertThat(got.getResponseTopic()).isEqualTo("reply/us");
        assertThat(got.getCorrelationData()).containsExactly(0, 1, 2, 0xFF);
        assertThat(got.getPayloadFormat()).isTrue();
        assertThat(got.getMessageExpiryInterval()).isNotNull().isBetween(1L, 3600L);
        // Section 4.12: a subscriber present at publish time gets the message, retain flag kept under
        // retain-as-published.
        assertThat(r.message().isRetained())
                .as("retain flag with retain-as-published")
                .isTrue();
        Received plain = awaitTopic(usPlain, "linked/props");
        assertThat(plain.message().isRetained())
                .as("retain flag without retain-as-published")
                .isFalse();
        assertThat(plain.message().getProperties().getUserProperties()).containsExactlyElementsOf(user);
        // The sender's retainer stores it as usual.
        MqttTestClient euLate = open.client(eu, "eu-late");
        euLate.subscribe("linked/props", 1);
        assertThat(awaitTopic(euLate, "linked/props").message().isRetained()).isTrue();
    }

    @Test
    void retained_lateSubscriberOnReceivingCluster_getsNoRemoteRetainedMessage() throws Exception {
        EmbeddedClusterBroker us = startUs();
        EmbeddedClusterBroker eu = startEu();
        MqttTestClient usSub = open.client(us, "us-sub");
        MqttTestClient euPub = open.client(eu, "eu-pub");
        usSub.subscribe("linked/#", 1);
        publishUntilReceived(euPub, "linked/warmup", "warmup", usSub);
        euPub.paho().publish("linked/kept", retained("kept")).waitForCompletion(WAIT_MS);
        assertThat(awaitTopic(usSub, "linked/kept").message().isRetained())
                .as("retain flag for a subscriber without retain-as-published")
                .isFalse();

        MqttTestClient usLate = open.client(us, "us-late");
        usLate.subscribe("linked/kept", 1);

        // Section 4.12: no retained sync; the message stays in eu-west's store only.
        assertThat(usLate.received().poll(2, TimeUnit.SECONDS))
                .as("eu-west's retained message on us-east")
                .isNull();
        MqttTestClient euLate = open.client(eu, "eu-late");
        euLate.subscribe("linked/kept", 1);
        assertThat(awaitTopic(euLate, "linked/kept").message().isRetained()).isTrue();
    }

    @Test
    void retained_forwardedOnTopicWithLocalRetained_localRetainedMessageKept() throws Exception {
        EmbeddedClusterBroker us = startUs();
        EmbeddedClusterBroker eu = startEu();
        MqttTestClient usPub = open.client(us, "us-pub");
        MqttTestClient usSub = open.client(us, "us-sub");
        MqttTestClient euPub = open.client(eu, "eu-pub");
        usPub.paho().publish("linked/state", retained("local")).waitForCompletion(WAIT_MS);
        MqttSubscription rap = new MqttSubscription("linked/#", 1);
        rap.setRetainAsPublished(true);
        usSub.paho().subscribe(rap).waitForCompletion(WAIT_MS);
        assertThat(payload(awaitTopic(usSub, "linked/state"))).isEqualTo("local");
        publishUntilReceived(euPub, "linked/warmup", "warmup", usSub);

        euPub.paho().publish("linked/state", retained("remote")).waitForCompletion(WAIT_MS);
        Received remote = awaitTopic(usSub, "linked/state");
        // An empty retained message deletes eu-west's copy; it must not delete us-east's own.
        euPub.paho().publish("linked/state", retained("")).waitForCompletion(WAIT_MS);
        Received empty = awaitTopic(usSub, "linked/state");

        assertThat(payload(remote)).isEqualTo("remote");
        assertThat(remote.message().isRetained())
                .as("retain flag with retain-as-published")
                .isTrue();
        assertThat(payload(empty)).isEmpty();
        MqttTestClient usLate = open.client(us, "us-late");
        usLate.subscribe("linked/state", 1);
        Received kept = awaitTopic(usLate, "linked/state");
        assertThat(payload(kept)).as("us-east's own retained message").isEqualTo("local");
        assertThat(kept.message().isRetained()).isTrue();
        assertThat(usLate.received().poll(2, TimeUnit.SECONDS))
                .as("anything after the local retained message")
                .isNull();
    }

    @Test
    void linkTopic_plainClientOnDefaultListener_refusedAndInvisible() throws Exception {
        EmbeddedClusterBroker us = startUs();
        EmbeddedClusterBroker eu = startEu();
        MqttTestClient usAll = open.client(us, "us-wildcard");
        MqttTestClient usSub = open.client(us, "us-sub");
        MqttTestClient euPub = open.client(eu, "eu-pub");
        usAll.subscribe("#", 1);
        usSub.subscribe("linked/#", 1);
        publishUntilReceived(euPub, "linked/42", "hello", usSub);
        await(
                "eu-west learns us-east's routes",
                () -> !euLink().remoteRoutes(US).isEmpty());
        var routesBefore = Set.copyOf(euLink().remoteRoutes(US));

        MqttTestClient intruder = open.client(eu, "intruder");
        MqttMessage fake = new MqttMessage(new byte[] {(byte) 0x83, 0x6A});
        fake.setQos(1);
        int reason;
        try {
            IMqttToken t = intruder.paho().publish("$LINK/cluster/route/" + US, fake);
            t.waitForCompletion(WAIT_MS);
            int[] codes = t.getReasonCodes();
            reason = codes == null || codes.length == 0 ? 0 : codes[0];
        } catch (MqttException e) {
            reason = e.getReasonCode();
        }
        assertThat(reason)
                .as("PUBACK reason for a plain client's $LINK publish")
                .isEqualTo(0x87);

        // The link still works and its routes are those it had.
        publishUntilReceived(euPub, "linked/43", "still linked", usSub);
        assertThat(euLink().remoteRoutes(US)).containsExactlyInAnyOrderElementsOf(routesBefore);
        // Each subscriber gets its copy independently: usSub having linked/43 does not mean usAll has it yet.
        await(
                "the # subscriber gets linked/43 too",
                () -> usAll.received().stream().anyMatch(m -> m.topic().equals("linked/43")));
        assertThat(usAll.received()).noneMatch(m -> m.topic().startsWith("$"));
    }

    @Test
    void restart_brokerStoppedAndStartedOnSamePorts_relinksAndResyncsRoutes() throws Exception {
        EmbeddedClusterBroker us = startUs();
        EmbeddedClusterBroker eu = startEu();
        MqttTestClient usSub = open.client(us, "us-sub");
        MqttTestClient euPub = open.client(eu, "eu-pub");
        usSub.subscribe("linked/#", 1);
        publishUntilReceived(euPub, "linked/42", "before restart", usSub);

        open.close(euPub);
        open.close(eu);
        EmbeddedClusterBroker eu2 = startEu();
        MqttTestClient euPub2 = open.client(eu2, "eu-pub-2");
        await(
                "the restarted eu-west learns us-east's routes again",
                () -> euLink().remoteRoutes(US).stream()
                        .anyMatch(r -> r.filter().equals("linked/#")));

        Received r = awaitAfterPublishing(euPub2, "linked/43", "after restart", usSub);
        assertThat(r.topic()).isEqualTo("linked/43");
        assertThat(new String(r.message().getPayload(), StandardCharsets.UTF_8)).isEqualTo("after restart");
    }

    // ---- setup ----

    private EmbeddedClusterBroker startUs() throws IOException {
        if (ports == null) {
            ports = TestPorts.demo();
        }
        return open.start(Demo.config("us", Demo.usEast(ports)));
    }

    private EmbeddedClusterBroker startEu() throws IOException {
        if (ports == null) {
            ports = TestPorts.demo();
        }
        euBroker = open.start(Demo.config("eu", Demo.euWest(ports, List.of("#"))));
        return euBroker;
    }

    /** eu-west's engine, of the broker started last. */
    private ClusterLink euLink() {
        return euBroker.link().orElseThrow();
    }

    private static LinkMetrics metrics(ClusterLink link, String name) {
        return link.metrics(name).orElseThrow(() -> new AssertionError("no link named " + name));
    }

    // ---- waiting ----

    private static long deadline() {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, Duration.ofMillis(WAIT_MS), condition);
    }

    /** Publishes every 500 ms until the subscriber gets the topic; returns how many publishes it took. */
    private static int publishUntilReceived(MqttTestClient pub, String topic, String payload, MqttTestClient sub)
            throws Exception {
        return pub.publishUntilReceived(topic, payload, sub, Duration.ofMillis(500))
                .publishes();
    }

    private static Received awaitAfterPublishing(MqttTestClient pub, String topic, String payload, MqttTestClient sub)
            throws Exception {
        return pub.publishUntilReceived(topic, payload, sub, Duration.ofMillis(500))
                .message();
    }

    private static Received awaitTopic(MqttTestClient sub, String topic) throws InterruptedException {
        return sub.awaitMessageOn(topic);
    }

    private static MqttMessage retained(String payload) {
        MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        m.setRetained(true);
        return m;
    }

    private static String payload(Received r) {
        return new String(r.message().getPayload(), StandardCharsets.UTF_8);
    }

    private static void pollEither(MqttTestClient a, MqttTestClient b, long ms) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (System.nanoTime() < until
                && a.received().isEmpty()
                && b.received().isEmpty()) {
            Thread.sleep(20);
        }
    }

    /**
     * Waits until no message arrived for two seconds: a second copy, if the link or the group were to make one,
     * follows the first within milliseconds on loopback.
     */
    private static void awaitQuiet(MqttTestClient a, MqttTestClient b) throws InterruptedException {
        long deadline = deadline();
        int last = -1;
        while (System.nanoTime() < deadline) {
            int now = a.received().size() + b.received().size();
            if (now == last) {
                return;
            }
            last = now;
            Thread.sleep(2_000);
        }
        throw new AssertionError("messages kept arriving for " + WAIT_MS + " ms");
    }

    private static long count(MqttTestClient a, MqttTestClient b, String topic) {
        return a.received().stream().filter(r -> r.topic().equals(topic)).count()
                + b.received().stream().filter(r -> r.topic().equals(topic)).count();
    }
}
