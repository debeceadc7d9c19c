package io.clink.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Drives the {@code mosquitto_sub} and {@code mosquitto_pub} command-line clients, as a user of the quick start does.
 * Every process started is added to the caller's list, which the caller kills after the test.
 */
final class Mosquitto {

    /** MQTT 5, as {@code -V mqttv5}. */
    static final String V5 = "mqttv5";

    /** MQTT 3.1.1, as {@code -V mqttv311}. */
    static final String V311 = "mqttv311";

    private Mosquitto() {}

    static boolean installed() {
        return Files.isExecutable(Path.of("/usr/bin/mosquitto_sub"))
                && Files.isExecutable(Path.of("/usr/bin/mosquitto_pub"));
    }

    /**
     * Runs {@code mosquitto_sub -C 1} on one broker and {@code mosquitto_pub} on the other every 500 ms until the
     * subscriber prints (routes replicate asynchronously), for at most 60 s, and returns what it printed ({@code -v}:
     * the topic, a space, the message).
     */
    static String subscribeThenPublish(
            List<Process> processes,
            int subPort,
            String subVersion,
            String filter,
            int pubPort,
            String pubVersion,
            String topic,
            String message)
            throws IOException, InterruptedException {
        Process sub = new ProcessBuilder(
                        "mosquitto_sub",
                        "-h",
                        "127.0.0.1",
                        "-p",
                        String.valueOf(subPort),
                        "-t",
                        filter,
                        "-q",
                        "1",
                        "-v",
                        "-C",
                        "1",
                        "-W",
                        "60",
                        "-V",
                        subVersion)
                .redirectErrorStream(true)
                .start();
        processes.add(sub);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (sub.isAlive() && System.nanoTime() < deadline) {
            Process pub = new ProcessBuilder(
                            "mosquitto_pub",
                            "-h",
                            "127.0.0.1",
                            "-p",
                            String.valueOf(pubPort),
                            "-t",
                            topic,
                            "-m",
                            message,
                            "-q",
                            "1",
                            "-V",
                            pubVersion)
                    .redirectErrorStream(true)
                    .start();
            processes.add(pub);
            pub.waitFor(10, TimeUnit.SECONDS);
            sub.waitFor(500, TimeUnit.MILLISECONDS);
        }
        assertThat(sub.waitFor(5, TimeUnit.SECONDS))
                .as("mosquitto_sub received nothing")
                .isTrue();
        return new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }
}
