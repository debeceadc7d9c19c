package io.clink.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clink.testkit.Await;
import io.clink.testkit.mqtt.MqttTestClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar clink-broker/target/clink-broker.jar} as a user runs it: the ready line on standard output, a
 * clean stop on SIGTERM, configuration errors with exit status 2, the demo driven by the {@code mosquitto_sub}
 * and {@code mosquitto_pub} command-line clients, and the jar on Artemis ({@code broker.type = artemis}) linked with
 * HiveMQ.
 */
class ClinkBrokerJarIT {

    private static final Path JAR = Path.of("target", "clink-broker.jar");
    private static final long WAIT_MS = 90_000;

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void kill() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void config_printsReadyLine_andStopsCleanlyOnSigterm() throws Exception {
        // Distinct ports: picked while all are held, so the OS cannot hand out one of them twice.
        Demo.Ports free = TestPorts.demo();
        int mqtt = free.usMqtt();
        int link = free.usLink();
        int api = free.usApi();
        Path conf = Files.writeString(dir.resolve("solo.conf"), """
                cluster { name = "cluster-solo", links = [] }
                listeners {
                  tcp.default { bind = "127.0.0.1:%d" }
                  tcp.clink { bind = "127.0.0.1:%d" }
                }
                management { bind = "127.0.0.1:%d" }
                node { data_dir = "%s" }
                """.formatted(mqtt, link, api, dir.resolve("data")));
        Running r = run("--config", conf.toString());

        String ready = r.awaitLine(l -> l.startsWith("clink-broker "));

        assertThat(ready)
                .isEqualTo("clink-broker cluster-solo ready: mqtt=127.0.0.1:" + mqtt + " clink=127.0.0.1:" + link);
        r.process.destroy(); // SIGTERM
        assertThat(r.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // Stopped cleanly: both listeners are free again. (The "stopped" line on stderr is best effort: HiveMQ's
        // own shutdown hook may close the JVM's stderr first when it is a pipe.)
        try (ServerSocket a = new ServerSocket(mqtt);
                ServerSocket b = new ServerSocket(link);
                ServerSocket c = new ServerSocket(api)) {
            assertThat(a.isBound() && b.isBound() && c.isBound()).isTrue();
        }
    }

    @Test
    void config_invalid_exitsWithStatus2NamingFileFieldAndValue() throws Exception {
        Path conf = Files.writeString(dir.resolve("bad.conf"), """
                cluster {
                  name = "cluster-bad"
                  links = [ { name = "other", server = "127.0.0.1:1", topics = ["ok/#", "bad/#/x"] } ]
                }
                listeners { tcp.clink { bind = 11883 } }
                """);
        Running r = run("--config", conf.toString());

        assertThat(r.process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(r.process.exitValue()).isEqualTo(2);
        assertThat(r.stderrText()).contains(conf + ":3: cluster.links[0].topics = [\"ok/#\",\"bad/#/x\"]");
        assertThat(r.stdoutText()).doesNotContain("ready");
    }

    @Test
    void config_portInUse_exitsWithStatus1NamingTheListener() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Path conf = Files.writeString(
                    dir.resolve("busy.conf"), """
                    cluster { name = "busy" }
                    listeners { tcp.default { bind = "127.0.0.1:%d" }, tcp.clink { bind = "127.0.0.1:%d" } }
                    management { enable = false }
                    node { data_dir = "%s" }
                    """.formatted(taken.getLocalPort(), freePort(), dir.resolve("data")));
            Running r = run("--config", conf.toString());

            assertThat(r.process.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(r.process.exitValue()).isEqualTo(1);
            assertThat(r.stderrText()).contains("listeners.tcp.default.bind = \"127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void noArguments_printsUsageAndExits2() throws Exception {
        Running r = run();

        assertThat(r.process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(r.process.exitValue()).isEqualTo(2);
        assertThat(r.stderrText()).contains("usage: java -jar clink-broker.jar --config FILE");
    }

    @Test
    void demo_mosquittoClients_seeTheLinkWorkBothWays() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/mosquitto_sub")), "mosquitto clients not installed");
        Demo.Ports free = TestPorts.demo();
        int usMqtt = free.usMqtt();
        int euMqtt = free.euMqtt();
        int usApi = free.usApi();
        String ports =
                usMqtt + "," + free.usLink() + "," + euMqtt + "," + free.euLink() + "," + usApi + "," + free.euApi();
        Running demo = run("--demo", "--demo-ports", ports);
        demo.awaitLine(l -> l.startsWith("clink-broker cluster-us-east ready"));
        demo.awaitLine(l -> l.startsWith("clink-broker cluster-eu-west ready"));
        demo.awaitLine(l -> l.contains("mosquitto_pub"));
        String curl = demo.awaitLine(l -> l.contains("http://127.0.0.1:" + usApi + "/api/v5/cluster/links"));
        // curl -u 'KEY:SECRET' URL: the printed key must open the API, and nothing else may.
        String[] words = curl.trim().split(" ");
        String credentials = words[2].replace("'", "");
        ApiClient api = new ApiClient(words[3].replace("/cluster/links", ""), credentials);
        assertThat(api.as(null).get("/cluster/links").statusCode()).isEqualTo(401);
        assertThat(api.json("/cluster/links").get(0).get("name").asText()).isEqualTo("cluster-eu-west");

        assertThat(subscribeThenPublish(usMqtt, euMqtt, "linked/42", "Hello from the other side!"))
                .isEqualTo("linked/42 Hello from the other side!");
        assertThat(subscribeThenPublish(euMqtt, usMqtt, "linked/1", "Hello from US!"))
                .isEqualTo("linked/1 Hello from US!");

        demo.process.destroy();
        assertThat(demo.process.waitFor(90, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void artemisConfig_linksWithHiveMqBothWays_andReloadsLinksOnSighup() throws Exception {
        assumeTrue(Mosquitto.installed(), "mosquitto clients not installed");
        Demo.Ports p = TestPorts.demo();
        // us-east from the jar on Artemis, as examples/cluster-us-east-artemis.conf; eu-west on HiveMQ in this JVM.
        Path conf = Files.writeString(
                dir.resolve("us-artemis.conf"),
                "broker { type = artemis }\n" + Demo.usEast(p) + "node { data_dir = \"" + dir.resolve("data")
                        + "\" }\n");
        Running us = run("--config", conf.toString());
        try (EmbeddedClusterBroker eu = EmbeddedClusterBroker.start(
                Demo.config("eu", Demo.euWest(p, List.of("#"))).withDataDir(dir.resolve("eu-data")))) {
            String ready = us.awaitLine(l -> l.startsWith("clink-broker "));
            assertThat(ready)
                    .isEqualTo("clink-broker cluster-us-east ready: mqtt=127.0.0.1:" + p.usMqtt() + " clink=127.0.0.1:"
                            + p.usLink());

            assertThat(subscribeThenPublish(p.usMqtt(), p.euMqtt(), "linked/42", "Hello from the other side!"))
                    .isEqualTo("linked/42 Hello from the other side!");
            assertThat(subscribeThenPublish(p.euMqtt(), p.usMqtt(), "linked/1", "Hello from US!"))
                    .isEqualTo("linked/1 Hello from US!");
            assertThat(new ApiClient("http://127.0.0.1:" + p.usApi() + "/api/v5")
                            .json("/cluster/links")
                            .get(0)
                            .get("name")
                            .asText())
                    .isEqualTo("cluster-eu-west");
            // Artemis's journal lives under node.data_dir, next to clink's own state.
            assertThat(dir.resolve("data").resolve("artemis").resolve("cluster-us-east"))
                    .isDirectory();

            assertReloadsOnSighup(us, conf, p, eu);

            us.process.destroy(); // SIGTERM
            assertThat(us.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        try (ServerSocket a = new ServerSocket(p.usMqtt());
                ServerSocket b = new ServerSocket(p.usLink());
                ServerSocket c = new ServerSocket(p.usApi())) {
            assertThat(a.isBound() && b.isBound() && c.isBound()).isTrue();
        }
    }

    /**
     * SIGHUP re-reads the file: a broken file is refused with the start's error line and changes nothing; a link
     * added, a link's topics changed (eu-west's view of us-east's routes follows), a link removed, one line each.
     */
    private void assertReloadsOnSighup(Running us, Path conf, Demo.Ports p, EmbeddedClusterBroker eu) throws Exception {
        ApiClient api = new ApiClient("http://127.0.0.1:" + p.usApi() + "/api/v5");
        String original = Files.readString(conf);
        MqttTestClient sub = MqttTestClient.connect("127.0.0.1", p.usMqtt(), "us-reload-sub");
        try {
            sub.subscribe(new String[] {"linked/#", "only/#"}, 1);
            Await.until(
                    "eu-west holds both of us-east's routes",
                    () -> euRoutes(eu).containsAll(List.of("linked/#", "only/#")));

            Files.writeString(conf, original.replace("topics = [\"#\"]", "topics = [\"#\""));
            hangUp(us);
            Await.until("the broken file is refused", () -> us.err.toString().contains("reload refused"));
            assertThat(us.err.toString())
                    .contains("clink-broker: configuration error: ")
                    .contains(conf.getFileName().toString())
                    .contains("(reload refused: the running links stay as they are)");
            assertThat(api.json("/cluster/links")).hasSize(1);

            String extra = ",\n    { name = \"cluster-ap-south\", server = \"127.0.0.1:"
                    + TestPorts.demo().usMqtt() + "\", topics = [\"#\"] }\n  ]\n}";
            String withSouth = original.replaceFirst("\\n  \\]\\n}", java.util.regex.Matcher.quoteReplacement(extra));
            assertThat(withSouth).contains("cluster-ap-south");
            Files.writeString(conf, withSouth);
            hangUp(us);
            assertThat(us.awaitLine(l -> l.contains(" reloaded ")))
                    .isEqualTo("clink-broker cluster-us-east reloaded " + conf
                            + ": added [cluster-ap-south], removed [], changed []");
            assertThat(api.json("/cluster/links")).hasSize(2);

            Files.writeString(conf, withSouth.replaceFirst("topics = \\[\"#\"\\]", "topics = [\"only/#\"]"));
            hangUp(us);
            assertThat(us.awaitLine(l -> l.contains(" reloaded ")))
                    .endsWith(": added [], removed [], changed [cluster-eu-west]");
            Await.until("eu-west drops the route outside the new topics", () -> {
                List<String> routes = euRoutes(eu);
                return routes.contains("only/#") && !routes.contains("linked/#");
            });

            Files.writeString(conf, original.replaceFirst("topics = \\[\"#\"\\]", "topics = [\"only/#\"]"));
            hangUp(us);
            assertThat(us.awaitLine(l -> l.contains(" reloaded ")))
                    .endsWith(": added [], removed [cluster-ap-south], changed []");
            assertThat(api.json("/cluster/links")).hasSize(1);
        } finally {
            sub.closeQuietly();
        }
    }

    private static List<String> euRoutes(EmbeddedClusterBroker eu) {
        return eu.link().orElseThrow().remoteRoutes("cluster-us-east").stream()
                .map(r -> r.filter())
                .toList();
    }

    private static void hangUp(Running r) throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(r.process.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    private String subscribeThenPublish(int subPort, int pubPort, String topic, String message) throws Exception {
        return Mosquitto.subscribeThenPublish(
                processes, subPort, Mosquitto.V5, "linked/#", pubPort, Mosquitto.V5, topic, message);
    }

    private Running run(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        processes.add(p);
        return new Running(p);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A started process whose output is collected line by line. */
    static final class Running {
        final Process process;
        final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
        private final StringBuffer out = new StringBuffer();
        final StringBuffer err = new StringBuffer();
        private final Thread outReader;
        private final Thread errReader;

        Running(Process process) {
            this.process = process;
            outReader = pump(
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)),
                    out,
                    true);
            errReader = pump(
                    new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)),
                    err,
                    false);
        }

        private Thread pump(BufferedReader reader, StringBuffer sink, boolean lines) {
            Thread t = new Thread(() -> {
                try {
                    String l;
                    while ((l = reader.readLine()) != null) {
                        sink.append(l).append('\n');
                        if (lines) {
                            stdout.add(l);
                        }
                    }
                } catch (IOException e) {
                    // The process ended.
                }
            });
            t.setDaemon(true);
            t.start();
            return t;
        }

        String awaitLine(java.util.function.Predicate<String> wanted) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
            while (System.nanoTime() < deadline) {
                String l = stdout.poll(500, TimeUnit.MILLISECONDS);
                if (l != null && wanted.test(l)) {
                    return l;
                }
                if (l == null && !process.isAlive()) {
                    break;
                }
            }
            throw new AssertionError("no such line on stdout; stdout:\n" + out + "\nstderr:\n" + err);
        }

        String stdoutText() throws InterruptedException {
            outReader.join(10_000);
            return out.toString();
        }

        String stderrText() throws InterruptedException {
            if (!process.isAlive()) {
                errReader.join(10_000);
            }
            return err.toString();
        }
    }
}
