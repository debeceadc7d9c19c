package io.clink.hivemq.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Watches one file by polling its content. A content that differs from the one last handed on, and that two polls in
 * a row read the same, is handed to the listener once: the debounce keeps a file that an editor is still writing from
 * being applied half-written. Polling by path rather than a WatchService because editors save by writing a temporary
 * file and renaming it over the original (a directory watch then reports a delete and a create, and a watch on the
 * file itself follows the old inode), and because watch services see nothing on some file systems (NFS, some
 * container overlays). A file that is briefly missing (between an editor's delete and rename) or unreadable is
 * skipped until it reads again.
 *
 * Thread: poll() runs on one thread at a time (the owner's scheduler); the listener runs on that thread.
 */
/** Hands a file's new content on once it has settled, by polling. */
public final class ConfigFileWatch {

    /** Largest file read; a configuration file is a few kilobytes. */
    static final int MAX_BYTES = 4 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ConfigFileWatch.class);

    private final Path file;
    private final Consumer<Path> onChange;
    private byte @Nullable [] applied;
    private byte @Nullable [] pending;

    /**
     * Starts from the file's content now, so only later changes are handed on.
     *
     * @param file the file
     * @param onChange told the file's path when its content changed and settled
     */
    public ConfigFileWatch(Path file, Consumer<Path> onChange) {
        this.file = Objects.requireNonNull(file, "file");
        this.onChange = Objects.requireNonNull(onChange, "onChange");
        this.applied = read();
    }

    /** Reads the file once; hands it on if it changed and the previous poll read the same content. */
    public void poll() {
        byte[] now = read();
        if (now == null) {
            pending = null;
            return;
        }
        if (Arrays.equals(now, applied)) {
            pending = null;
            return;
        }
        if (pending != null && Arrays.equals(now, pending)) {
            applied = now;
            pending = null;
            onChange.accept(file);
            return;
        }
        pending = now;
    }

    private byte @Nullable [] read() {
        try {
            if (Files.size(file) > MAX_BYTES) {
                LOG.warn("clink: {} is larger than {} bytes; not reloaded", file, MAX_BYTES);
                return null;
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return null; // missing while an editor replaces it, or unreadable: look again at the next poll
        }
    }
}
