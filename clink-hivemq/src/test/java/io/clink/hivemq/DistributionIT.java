package io.clink.hivemq;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.testkit.Await;
import io.clink.testkit.mqtt.MqttTestClient;
import io.clink.testkit.mqtt.Received;
import io.clink.testkit.net.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged extension, installed as a user would: {@code clink-hivemq-<version>-distribution.zip} unpacked into
 * the extensions folder of two HiveMQ brokers, each with its own {@code conf/cluster-link.conf}; HiveMQ loads it in
 * its isolated extension class loader, and a Paho subscriber on one cluster receives what is published on the other.
 */
class DistributionIT {

    @TempDir
    Path dir;

    @Test
    void distributionZip_installedInTwoBrokers_linksThem() throws Exception {
        Path zip = distributionZip();
        int[] ports = FreePorts.pick(4);
        int usMqtt = ports[0];
        int usLink = ports[1];
        int euMqtt = ports[2];
        int euLink = ports[3];
        Path usExt = unpack(zip, dir.resolve("us-dist"));
        Path euExt = unpack(zip, dir.resolve("eu-dist"));
        Files.writeString(usExt.resolve("conf/cluster-link.conf"), conf("cluster-us-east", "cluster-eu-west", euLink));
        Files.writeString(euExt.resolve("conf/cluster-link.conf"), conf("cluster-eu-west", "cluster-us-east", usLink));
        EmbeddedExtensionMain.EngineStarter unused = (b, c) -> () -> {};

        try (EmbeddedHiveMq us = new EmbeddedHiveMq(dir.resolve("us"), usMqtt, usLink, unused, usExt);
                EmbeddedHiveMq eu = new EmbeddedHiveMq(dir.resolve("eu"), euMqtt, euLink, unused, euExt);
                MqttTestClient sub = EmbeddedHiveMq.connect(us.mqttUri(), "dist-sub");
                // Its timeout bounds publishUntilReceived: the link may need a reconnect round to come up.
                MqttTestClient pub = MqttTestClient.connect(
                        eu.mqttUri(), "dist-pub", MqttTestClient.defaultOptions(), Duration.ofSeconds(60))) {
            sub.subscribe("linked/#", 1);
            // The link comes up in the background; publish until the first message crosses it.
            Received r = pub.publishUntilReceived(
                            "linked/42", "Hello from the other side!", sub, Duration.ofMillis(500))
                    .message();

            assertThat(r.topic()).isEqualTo("linked/42");
            assertThat(r.payload()).isEqualTo("Hello from the other side!");
            // The drop-in registered the link meters in HiveMQ's registry, and they count the crossing.
            Await.until("us-east's HiveMQ registry counts the received message", Duration.ofSeconds(30), () -> {
                var g = us.metricRegistry().getGauges().get("clink.link.cluster-eu-west.messages.received");
                return g != null && ((Number) g.getValue()).doubleValue() >= 1;
            });
            assertThat(us.metricRegistry().getGauges())
                    .containsKeys(
                            "clink.link.cluster-eu-west.forwarding.success",
                            "clink.link.cluster-eu-west.route.actor.state.online");
            Await.until("eu-west's HiveMQ registry counts the acknowledged forward", Duration.ofSeconds(30), () -> {
                var g = eu.metricRegistry().getGauges().get("clink.link.cluster-us-east.forwarding.success");
                return g != null && ((Number) g.getValue()).doubleValue() >= 1;
            });
            // The node's dropped deliveries: the $LINK publishes each side consumed are in HiveMQ's own dropped
            // count, not in clink's.
            assertThat(us.metricRegistry()
                            .getCounters()
                            .get("com.hivemq.messages.dropped.count")
                            .getCount())
                    .as("HiveMQ counts the consumed $LINK publishes as dropped")
                    .isPositive();
            assertThat(us.metricRegistry()
                            .getGauges()
                            .get("clink.delivery.dropped")
                            .getValue())
                    .isEqualTo(0L);
            assertThat(eu.metricRegistry()
                            .getGauges()
                            .get("clink.delivery.dropped")
                            .getValue())
                    .isEqualTo(0L);
        }
    }

    private static String conf(String name, String remote, int remoteLinkPort) {
        return """
                cluster {
                  name = "%s"
                  links = [ { name = "%s", server = "127.0.0.1:%d", clientid = "clink-%s", topics = ["#"] } ]
                }
                hivemq { link_listener = "%s" }
                """.formatted(name, remote, remoteLinkPort, name, EmbeddedHiveMq.LINK_LISTENER);
    }

    private static Path distributionZip() throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(Path.of("target"), "clink-hivemq-*-distribution.zip")) {
            for (Path p : s) {
                return p;
            }
        }
        throw new AssertionError("no distribution zip in target/ (run the package phase)");
    }

    /** Unpacks the zip and returns its single top folder ({@code clink-hivemq/}). */
    private static Path unpack(Path zip, Path into) throws IOException {
        try (InputStream in = Files.newInputStream(zip);
                ZipInputStream z = new ZipInputStream(in)) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) {
                Path target = into.resolve(e.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("zip entry outside the target: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(z, target);
                }
            }
        }
        Path top = into.resolve("clink-hivemq");
        assertThat(top.resolve("hivemq-extension.xml")).exists();
        assertThat(top.resolve("conf/cluster-link.conf")).exists();
        return top;
    }
}
