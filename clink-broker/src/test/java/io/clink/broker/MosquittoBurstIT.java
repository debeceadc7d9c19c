package io.clink.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: a burst of 20,000 QoS 1 messages from {@code mosquitto_pub -l} reaches a {@code mosquitto_sub} (MQTT
 * 3.1.1, no TCP_NODELAY) in full, on the same broker and across the link. Before the fix HiveMQ delivered ~1,000
 * msg/s to such a client and its 1,000-message queue dropped the rest silently.
 *
 * <p>One linked pair for both tests (as {@link QuickStartIT}'s symmetric link); each test waits at most {@value
 * #BURST_SECONDS} s for its burst.
 */
class MosquittoBurstIT {

    private static final int BURST = 20_000;
    private static final long BURST_SECONDS = 30;
    private static final String PROBE = "probe";

    private static OpenBrokers open;
    private static EmbeddedClusterBroker us;
    private static EmbeddedClusterBroker eu;

    @BeforeAll
    static void startPair() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/mosquitto_sub")), "mosquitto clients not installed");
        open = new OpenBrokers();
        Demo.Ports p = TestPorts.demo();
        us = open.start(Demo.config("us", Demo.usEast(p)));
        eu = open.start(Demo.config("eu", Demo.euWest(p, List.of("#"))));
    }

    @AfterAll
    static void stopPair() throws Exception {
        if (open != null) {
            open.close();
        }
    }

    @Test
    void burst_sameBroker_all20000Delivered() throws Exception {
        assertThat(burst(us, us, "local")).isEqualTo(BURST);
    }

    @Test
    void burst_acrossTheLink_all20000Delivered() throws Exception {
        assertThat(burst(eu, us, "linked")).isEqualTo(BURST);
    }

    /**
     * Subscribes {@code mosquitto_sub -q 1} to {@code <prefix>/#} on {@code subOn}, publishes a probe on {@code pubOn}
     * every 500 ms until it arrives (the route has replicated), then pipes 1..20000 into {@code mosquitto_pub -l -q 1};
     * returns how many distinct numbers the subscriber printed within the time limit.
     */
    private static int burst(EmbeddedClusterBroker pubOn, EmbeddedClusterBroker subOn, String prefix) throws Exception {
        Process sub = new ProcessBuilder(
                        "mosquitto_sub",
                        "-h",
                        "127.0.0.1",
                        "-p",
                        port(subOn),
                        "-t",
                        prefix + "/#",
                        "-q",
                        "1",
                        "-i",
                        prefix + "-burst-sub")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        open.closeLater(sub::destroyForcibly);
        BitSet seen = new BitSet(BURST + 1);
        AtomicInteger distinct = new AtomicInteger();
        CountDownLatch probed = new CountDownLatch(1);
        CountDownLatch all = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(sub.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.equals(PROBE)) {
                        probed.countDown();
                    } else if (line.matches("\\d{1,5}")) {
                        int n = Integer.parseInt(line);
                        if (n >= 1 && n <= BURST && !seen.get(n)) {
                            seen.set(n);
                            if (distinct.incrementAndGet() == BURST) {
                                all.countDown();
                            }
                        }
                    }
                }
            } catch (IOException e) {
                // mosquitto_sub was stopped.
            }
        });
        reader.setDaemon(true);
        reader.start();

        for (int i = 0; i < 60 && !probed.await(500, TimeUnit.MILLISECONDS); i++) {
            run(
                    List.of(
                            "mosquitto_pub",
                            "-h",
                            "127.0.0.1",
                            "-p",
                            port(pubOn),
                            "-t",
                            prefix + "/probe",
                            "-q",
                            "1",
                            "-m",
                            PROBE),
                    null);
        }
        assertThat(probed.getCount())
                .as("the probe never reached mosquitto_sub")
                .isZero();

        StringBuilder numbers = new StringBuilder();
        for (int i = 1; i <= BURST; i++) {
            numbers.append(i).append('\n');
        }
        run(
                List.of(
                        "mosquitto_pub",
                        "-h",
                        "127.0.0.1",
                        "-p",
                        port(pubOn),
                        "-t",
                        prefix + "/burst",
                        "-q",
                        "1",
                        "-l"),
                numbers.toString().getBytes(StandardCharsets.US_ASCII));
        all.await(BURST_SECONDS, TimeUnit.SECONDS);
        sub.destroy();
        return distinct.get();
    }

    /** Runs a client to completion (at most 30 s), feeding it {@code stdin} when given; fails on a non-zero exit. */
    private static void run(List<String> command, byte[] stdin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectErrorStream(true)
                .start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        }
        boolean done = p.waitFor(30, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        assertThat(done).as("%s finished within 30 s", command.get(0)).isTrue();
        assertThat(p.exitValue()).as("%s exit status", command.get(0)).isZero();
    }

    private static String port(EmbeddedClusterBroker b) {
        return String.valueOf(b.config().mqtt().port());
    }
}
