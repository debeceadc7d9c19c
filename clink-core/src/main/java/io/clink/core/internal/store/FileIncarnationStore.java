package io.clink.core.internal.store;

import io.clink.api.IncarnationStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Properties;

/**
 * The default {@link IncarnationStore}: one small properties file, rewritten atomically (write a temporary file,
 * then rename it over the old one), so a crash leaves either the old or the new content, never a torn file.
 *
 * <p>Concurrency: methods are synchronized; one instance per file per JVM. Two JVMs must not share a file (each
 * broker node has its own data directory).
 */
public final class FileIncarnationStore implements IncarnationStore {

    private final Path file;

    public FileIncarnationStore(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    @Override
    public synchronized OptionalLong load(String actorKey) {
        Objects.requireNonNull(actorKey, "actorKey");
        String value = read().getProperty(actorKey);
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            throw new UncheckedIOException(
                    new IOException("corrupt incarnation '" + value + "' for " + actorKey + " in " + file, e));
        }
    }

    @Override
    public synchronized void store(String actorKey, long incarnation) {
        Objects.requireNonNull(actorKey, "actorKey");
        Properties props = read();
        props.setProperty(actorKey, Long.toString(incarnation));
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    props.store(out, "clink actor incarnations; each must only grow");
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write incarnation store " + file, e);
        }
    }

    @Override
    public synchronized long next(String actorKey, long nowMillis) {
        // Synchronized as a whole so two actors of one JVM never interleave their load and store.
        return IncarnationStore.super.next(actorKey, nowMillis);
    }

    private Properties read() {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            props.load(in);
        } catch (NoSuchFileException e) {
            // First start: nothing recorded yet.
        } catch (IOException | IllegalArgumentException e) {
            throw new UncheckedIOException(
                    e instanceof IOException ? (IOException) e : new IOException(e.getMessage(), e));
        }
        return props;
    }
}
