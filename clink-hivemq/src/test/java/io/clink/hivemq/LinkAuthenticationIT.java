package io.clink.hivemq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.testkit.RecordingHooks;
import io.clink.testkit.RecordingHooks.LinkPublished;
import io.clink.testkit.mqtt.MqttTestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The link listener with a user list: only those users connect there, each only for its own cluster's topics. */
class LinkAuthenticationIT {

    @TempDir
    static Path dir;

    @AutoClose
    private static EmbeddedHiveMq hivemq;

    private static final RecordingHooks HOOKS = new RecordingHooks();

    @BeforeAll
    static void start() throws Exception {
        hivemq = new EmbeddedHiveMq(
                dir,
                List.of(new LinkAuthenticator.LinkUser("eu-user", "eu-secret", "cluster-eu-west")),
                EmbeddedHiveMq.attaching(HOOKS));
    }

    @BeforeEach
    void reset() {
        HOOKS.clear();
        HOOKS.linkPublishReasonCode(0);
    }

    @Test
    void knownUser_mayUseItsOwnClustersTopics() throws Exception {
        try (MqttTestClient link =
                MqttTestClient.connect(hivemq.linkUri(), "clink-eu-west:routesync:1", as("eu-user", "eu-secret"))) {
            int sub = link.subscribe("$LINK/cluster/resp/cluster-eu-west/actor", 1);
            int pub = link.tryPublish(
                    "$LINK/cluster/route/cluster-eu-west", "init".getBytes(StandardCharsets.UTF_8), 1, null);

            assertThat(sub).isEqualTo(1);
            assertThat(pub).isEqualTo(0);
            LinkPublished lp = HOOKS.awaitCount(LinkPublished.class, 1, Duration.ofSeconds(10))
                    .get(0);
            assertThat(lp).isNotNull();
            assertThat(lp.connection().username()).isEqualTo("eu-user");
        }
    }

    @Test
    void knownUser_otherClustersTopics_refused() throws Exception {
        try (MqttTestClient link =
                MqttTestClient.connect(hivemq.linkUri(), "clink-eu-west:routesync:2", as("eu-user", "eu-secret"))) {
            int sub = link.trySubscribe("$LINK/cluster/resp/cluster-ap/#", 1);
            int pub = link.tryPublish(
                    "$LINK/cluster/route/cluster-ap", "forged".getBytes(StandardCharsets.UTF_8), 1, null);

            assertThat(sub).isEqualTo(0x87);
            // The DISCONNECT may overtake the PUBACK; Paho then fails the publish with its own code (above 32000).
            assertThat(pub)
                    .satisfiesAnyOf(
                            p -> assertThat(p).isEqualTo(0x87),
                            p -> assertThat(p).isGreaterThan(32_000));
            assertThat(link.awaitServerDisconnect()).as("DISCONNECT reason").isEqualTo(0x87);
            assertThat(HOOKS.waitFor(LinkPublished.class, l -> !l.isEmpty(), Duration.ofMillis(500)))
                    .isFalse();
        }
    }

    @Test
    void wrongPassword_refusedAtConnect() {
        assertThatThrownBy(() ->
                        MqttTestClient.connect(hivemq.linkUri(), "clink-eu-west:routesync:3", as("eu-user", "guess")))
                .isInstanceOf(MqttException.class)
                .satisfies(e -> assertThat(((MqttException) e).getReasonCode()).isEqualTo(0x86));
    }

    @Test
    void anonymous_refusedOnLinkListener() {
        assertThatThrownBy(() -> EmbeddedHiveMq.connect(hivemq.linkUri(), "anon-link"))
                .isInstanceOf(MqttException.class)
                .satisfies(e -> assertThat(((MqttException) e).getReasonCode()).isEqualTo(0x86));
    }

    @Test
    void ordinaryClients_stillConnectAnonymouslyOnDefaultListener() throws Exception {
        try (MqttTestClient c = EmbeddedHiveMq.connect(hivemq.mqttUri(), "plain-1")) {
            assertThat(c.subscribe("plain/#", 1)).isEqualTo(1);
        }
    }

    private static MqttConnectionOptions as(String user, String password) {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setUserName(user);
        o.setPassword(password.getBytes(StandardCharsets.UTF_8));
        return o;
    }
}
