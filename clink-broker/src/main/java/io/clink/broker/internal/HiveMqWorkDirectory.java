package io.clink.broker.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The embedded HiveMQ's private working directory: {@code conf/} (its {@code config.xml}), {@code data/},
 * {@code extensions/} (empty: clink's extension is embedded) and {@code tls/} (the TLS link listener's key stores).
 *
 * <p>Why a fresh temporary directory per start: HiveMQ writes into its data folder, and the key stores hold the
 * listener's private key under a random password, so nothing of it belongs in the user's working directory or may
 * outlive the broker. The directory is created by {@link Files#createTempDirectory}, so only the owner can read it.
 * Not thread-safe; owned by one broker.
 */
public final class HiveMqWorkDirectory {
    private final Path root;

    private HiveMqWorkDirectory(Path root) {
        this.root = root;
    }

    /**
     * Creates the directory and its {@code conf}, {@code data} and {@code extensions} folders. Blocking (file system).
     *
     * @param cluster the cluster's name, part of the directory's name so an operator can tell brokers apart
     * @return the directory
     * @throws IOException if it cannot be created; nothing is left behind
     */
    public static HiveMqWorkDirectory create(String cluster) throws IOException {
        Path root = Files.createTempDirectory("clink-broker-" + cluster + "-");
        try {
            Files.createDirectories(root.resolve("conf"));
            Files.createDirectories(root.resolve("data"));
            Files.createDirectories(root.resolve("extensions"));
        } catch (IOException | RuntimeException e) {
            deleteQuietly(root);
            throw e;
        }
        return new HiveMqWorkDirectory(root);
    }

    /** HiveMQ's configuration folder. */
    public Path conf() {
        return root.resolve("conf");
    }

    /** HiveMQ's data folder. */
    public Path data() {
        return root.resolve("data");
    }

    /** HiveMQ's extensions folder. */
    public Path extensions() {
        return root.resolve("extensions");
    }

    /** Where the TLS link listener's key stores go; created by whoever writes them. */
    public Path tls() {
        return root.resolve("tls");
    }

    /**
     * Writes HiveMQ's {@code config.xml}. Blocking (file system).
     *
     * @param xml the document
     * @throws IOException if it cannot be written
     */
    public void writeConfig(String xml) throws IOException {
        Files.writeString(conf().resolve("config.xml"), xml);
    }

    /** Deletes the directory and everything in it; leftovers in the temporary directory are harmless. */
    public void delete() {
        deleteQuietly(root);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // Harmless: the operating system cleans its temporary directory.
                }
            });
        } catch (IOException e) {
            // Same.
        }
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
