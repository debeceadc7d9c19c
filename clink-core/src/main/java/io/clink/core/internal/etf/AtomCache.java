package io.clink.core.internal.etf;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The atoms the decoder met recently, so the dozen atoms of every forwarded message ({@code message}, {@code dup},
 * {@code properties}, {@code 'User-Property'}, ...) are decoded once per process rather than once per message.
 *
 * <p>Bounded by construction: a fixed array of {@value #SLOTS} slots, direct-mapped by a hash of the atom's UTF-8
 * bytes, where a newcomer simply replaces the slot's atom. A peer sending endless distinct atoms therefore only
 * churns the slots; it can neither grow the cache nor make a lookup cost more than one comparison of at most 255
 * characters' bytes.
 *
 * <p>Thread safety: shared by every decoding thread without locks. Slots are plain array elements written racily;
 * that is safe because {@link ErlAtom} is immutable with final fields, so a reader that sees a reference sees the
 * whole atom, and a reader that misses a racing write just decodes the atom itself.
 */
final class AtomCache {
    static final int SLOTS = 1024;

    private static final @Nullable ErlAtom[] CACHE = new ErlAtom[SLOTS];

    private AtomCache() {}

    /** The cached atom whose UTF-8 bytes are {@code bytes[from..to)}, or null. */
    static @Nullable ErlAtom get(byte[] bytes, int from, int to, int hash) {
        ErlAtom a = CACHE[slot(hash)];
        if (a != null && Arrays.equals(a.utf8(), 0, a.utf8().length, bytes, from, to)) {
            return a;
        }
        return null;
    }

    /** Remembers a decoded atom under the hash of its UTF-8 bytes. */
    static void put(ErlAtom atom, int hash) {
        CACHE[slot(hash)] = atom;
    }

    /** A hash of {@code bytes[from..to)}, the key of {@link #get} and {@link #put}. */
    static int hash(byte[] bytes, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + bytes[i];
        }
        return h;
    }

    private static int slot(int hash) {
        return (hash ^ (hash >>> 16)) & (SLOTS - 1);
    }
}
