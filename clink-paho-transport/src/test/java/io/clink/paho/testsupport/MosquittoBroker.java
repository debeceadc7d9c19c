package io.clink.paho.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a real {@code mosquitto} 2.x broker for integration tests: on 127.0.0.1, on a free port, with a generated
 * configuration (users, TLS, maximum packet size) in its own temporary directory, logging everything to a file the
 * test can read. Kill and restart keep the port, so a client can reconnect to "the same" broker.
 *
 * <p>When no {@code mosquitto} executable is found the calling test is skipped with a visible message, except when
 * the environment variable {@code CI} is {@code true}: there a missing broker fails the build.
 */
public final class MosquittoBroker implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final Path executable;
    private final Path dir;
    private final Path config;
    private final Path log;
    private final int port;
    private Process process;

    private MosquittoBroker(Builder b) throws IOException {
        this.executable = locate().orElseThrow();
        this.dir = Files.createTempDirectory("clink-mosquitto-");
        this.port = b.port != 0 ? b.port : freePort();
        this.config = dir.resolve("mosquitto.conf");
        this.log = dir.resolve("mosquitto.log");
        StringBuilder conf = new StringBuilder();
        conf.append("listener ").append(port).append(" 127.0.0.1\n");
        conf.append("persistence false\n");
        conf.append("log_dest stderr\n");
        conf.append("log_type all\n");
        conf.append("connection_messages true\n");
        // Running as root, mosquitto would switch to user "mosquitto", who cannot read this temporary directory.
        conf.append("user ").append(System.getProperty("user.name")).append('\n');
        if (b.maxPacketSize > 0) {
            conf.append("max_packet_size ").append(b.maxPacketSize).append('\n');
        }
        if (b.users.isEmpty()) {
            conf.append("allow_anonymous true\n");
        } else {
            Path passwords = dir.resolve("passwords");
            StringBuilder lines = new StringBuilder();
            b.users.forEach((user, password) ->
                    lines.append(user).append(':').append(hash(password)).append('\n'));
            Files.writeString(passwords, lines, StandardCharsets.UTF_8);
            conf.append("allow_anonymous false\n");
            conf.append("password_file ").append(passwords).append('\n');
        }
        if (b.tlsCa != null) {
            conf.append("cafile ").append(b.tlsCa).append('\n');
            conf.append("certfile ").append(b.tlsCert).append('\n');
            conf.append("keyfile ").append(b.tlsKey).append('\n');
            conf.append("require_certificate ")
                    .append(b.requireClientCertificate)
                    .append('\n');
        }
        Files.writeString(config, conf, StandardCharsets.UTF_8);
    }

    /** Starts configuring a broker. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Skips the current test when mosquitto is missing, or fails it under {@code CI=true}.
     */
    public static void assumeAvailable() {
        if (locate().isPresent()) {
            return;
        }
        String message = "mosquitto not found (looked in /usr/sbin, /usr/local/sbin and PATH): install the Debian"
                + " package 'mosquitto' to run the Paho transport integration tests";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message + " (CI=true, so this is an error, not a skip)");
        }
        System.err.println("SKIPPED: " + message);
        Assumptions.abort(message);
    }

    /** The mosquitto executable, if installed; the system property {@code clink.mosquitto} overrides the search. */
    public static Optional<Path> locate() {
        String override = System.getProperty("clink.mosquitto");
        if (override != null) {
            return Optional.of(Paths.get(override)).filter(Files::isExecutable);
        }
        List<Path> candidates =
                new ArrayList<>(List.of(Paths.get("/usr/sbin/mosquitto"), Paths.get("/usr/local/sbin/mosquitto")));
        String path = System.getenv("PATH");
        if (path != null) {
            for (String p : path.split(java.io.File.pathSeparator)) {
                if (!p.isEmpty()) {
                    candidates.add(Paths.get(p, "mosquitto"));
                }
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /** The listener port. */
    public int port() {
        return port;
    }

    /** The broker's log so far. */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many log lines contain {@code text}. */
    public long countLogLines(String text) {
        return log().lines().filter(l -> l.contains(text)).count();
    }

    /** Starts (or restarts) the broker and waits until its port accepts connections. */
    public MosquittoBroker start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        ProcessBuilder pb = new ProcessBuilder(executable.toString(), "-c", config.toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = pb.start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mosquitto exited with " + process.exitValue() + ":\n" + log());
            }
            if (log().contains("running") && accepts()) {
                return this;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(
                "mosquitto did not open port " + port + " within " + START_TIMEOUT + ":\n" + log());
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Kills the broker with SIGKILL: its clients see the TCP connection drop without a DISCONNECT. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("mosquitto did not die");
            }
        }
    }

    @Override
    public void close() throws InterruptedException, IOException {
        kill();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /** mosquitto's "$6$" password format: base64(salt) and base64(SHA-512(password + salt)). */
    static String hash(String password) {
        try {
            byte[] salt = new byte[12];
            new SecureRandom().nextBytes(salt);
            MessageDigest sha = MessageDigest.getInstance("SHA-512");
            sha.update(password.getBytes(StandardCharsets.UTF_8));
            sha.update(salt);
            Base64.Encoder b64 = Base64.getEncoder();
            return "$6$" + b64.encodeToString(salt) + "$" + b64.encodeToString(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Configures a {@link MosquittoBroker}. */
    public static final class Builder {
        private int port;
        private long maxPacketSize;
        private final Map<String, String> users = new LinkedHashMap<>();
        private Path tlsCa;
        private Path tlsCert;
        private Path tlsKey;
        private boolean requireClientCertificate;

        private Builder() {}

        /** Adds a user; with at least one user, anonymous clients are refused. */
        public Builder user(String name, String password) {
            users.put(name, password);
            return this;
        }

        /** Sets mosquitto's max_packet_size (also announced in CONNACK). */
        public Builder maxPacketSize(long bytes) {
            this.maxPacketSize = bytes;
            return this;
        }

        /** Makes the listener a TLS listener. */
        public Builder tls(Path caFile, Path certFile, Path keyFile, boolean requireClientCertificate) {
            this.tlsCa = caFile;
            this.tlsCert = certFile;
            this.tlsKey = keyFile;
            this.requireClientCertificate = requireClientCertificate;
            return this;
        }

        /** Builds and starts the broker. */
        public MosquittoBroker start() throws IOException, InterruptedException {
            return new MosquittoBroker(this).start();
        }
    }
}
