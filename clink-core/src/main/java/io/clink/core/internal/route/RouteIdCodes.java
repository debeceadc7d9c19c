package io.clink.core.internal.route;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The table of route-id codes: how a row stores its opaque route id as one int, relative to the row's filter.
 *
 * <p>Encoding: {@link #SAME_AS_FILTER} when the id's bytes equal the filter's UTF-8 bytes (a plain subscription, the
 * common row); otherwise the code of an interned, reference-counted entry, which is a prefix when the id properly ends
 * with the filter ({@code $s/<group>/}, {@code $p/<session>/}, shared by every row of that group or session) and the
 * whole id ("raw") when it does not.
 *
 * <p>Lookups take byte ranges (the writer's scratch copies of the filter and id) and allocate nothing: the entries
 * live in one open-addressing table keyed by {@code (raw, bytes)}, so finding a prefix needs no prefix object. Only a
 * new entry copies its bytes.
 *
 * <p>Invariants: the encoding is canonical, so one route id on one filter always gets the same code and rows compare
 * by code; every code in use is the code of exactly one entry, found under its kind and bytes in the table, and
 * counts exactly the rows that use it; a code whose last row went is free for reuse, so codes stay small and the
 * table dense; code {@code 0} is never an entry. The table is a power of two long, at most 3/4 full, and every entry
 * sits on the probe path from its home slot without a gap.
 *
 * <p>Concurrency: writer only; readers never decode a route id.
 */
final class RouteIdCodes {

    /** Route-id code meaning "equal to the row's filter" (a plain subscription). */
    static final int SAME_AS_FILTER = 0;

    private static final int MIN_TABLE = 16;

    /** Entries by kind and bytes; linear probing, deletion by shifting back (no tombstones). */
    private @Nullable Entry[] table = new Entry[MIN_TABLE];

    private int entries;
    /** Entries in use by code; index 0 ({@link #SAME_AS_FILTER}) stays null. */
    private final List<@Nullable Entry> byCode = new ArrayList<>(Collections.singletonList(null));
    /** Codes whose last row went, for reuse; a stack in an int array, so freeing a code allocates nothing. */
    private int[] freeCodes = new int[16];

    private int freeCount;

    /**
     * The code of an existing encoding of {@code id[0, idLength)} on the filter {@code filter[0, filterLength)}
     * (UTF-8), or -1 if no row can have it.
     */
    int codeOf(byte[] id, int idLength, byte[] filter, int filterLength) {
        if (idLength == filterLength && Arrays.equals(id, 0, idLength, filter, 0, filterLength)) {
            return SAME_AS_FILTER;
        }
        boolean raw = !endsProperlyWith(id, idLength, filter, filterLength);
        int keyLength = raw ? idLength : idLength - filterLength;
        int slot = find(raw, id, keyLength, hash(raw, id, keyLength));
        Entry e = slot < 0 ? null : table[slot];
        return e == null ? -1 : e.code;
    }

    /** Encodes the id relative to the filter (as {@link #codeOf}) for a new row and counts the use. */
    int acquire(byte[] id, int idLength, byte[] filter, int filterLength) {
        if (idLength == filterLength && Arrays.equals(id, 0, idLength, filter, 0, filterLength)) {
            return SAME_AS_FILTER;
        }
        boolean raw = !endsProperlyWith(id, idLength, filter, filterLength);
        int keyLength = raw ? idLength : idLength - filterLength;
        int hash = hash(raw, id, keyLength);
        int slot = find(raw, id, keyLength, hash);
        Entry e = table[slot];
        if (e == null) {
            int code = freeCount > 0 ? freeCodes[--freeCount] : byCode.size();
            e = new Entry(Arrays.copyOf(id, keyLength), raw, hash, code);
            if (code < byCode.size()) {
                byCode.set(code, e);
            } else {
                byCode.add(e);
            }
            table[slot] = e;
            if (++entries * 4 > table.length * 3) {
                rehash(table.length * 2);
            }
        }
        e.refs++;
        return e.code;
    }

    /** Counts a row using {@code code} as gone. */
    void release(int code) {
        if (code == SAME_AS_FILTER) {
            return;
        }
        Entry e = requireNonNull(byCode.get(code), "id code");
        if (--e.refs == 0) {
            remove(e);
            byCode.set(code, null);
            if (freeCount == freeCodes.length) {
                freeCodes = Arrays.copyOf(freeCodes, freeCount * 2);
            }
            freeCodes[freeCount++] = code;
        }
    }

    /** The route id that {@code code} stands for on {@code filter}. */
    RouteId decode(int code, String filter) {
        if (code == SAME_AS_FILTER) {
            return RouteId.utf8(filter);
        }
        Entry e = requireNonNull(byCode.get(code), "id code");
        RouteId id = RouteId.of(e.bytes);
        return e.raw ? id : id.concat(filter.getBytes(StandardCharsets.UTF_8));
    }

    /** True when {@code code} is {@link #SAME_AS_FILTER} or the code of an entry in use. */
    boolean isKnown(int code) {
        return code == SAME_AS_FILTER || (code > 0 && code < byCode.size() && byCode.get(code) != null);
    }

    /**
     * Describes the first broken invariant given the uses of each code that the rows show, or returns null. For
     * {@link RouteIndexInvariants}.
     */
    @Nullable
    String check(Map<Integer, Integer> usesByCode) {
        int inUse = 0;
        for (int code = 1; code < byCode.size(); code++) {
            Entry e = byCode.get(code);
            if (e == null) {
                continue;
            }
            inUse++;
            int slot = find(e.raw, e.bytes, e.bytes.length, hash(e.raw, e.bytes, e.bytes.length));
            if (e.code != code || table[slot] != e) {
                return "id code " + code + " ('" + RouteId.escape(e.bytes) + "') out of its table";
            }
            int uses = usesByCode.getOrDefault(code, 0);
            if (e.refs != uses) {
                return "id code " + code + " ('" + RouteId.escape(e.bytes) + "') counts " + e.refs + " but has " + uses
                        + " uses";
            }
        }
        int inTable = 0;
        for (Entry e : table) {
            if (e != null) {
                inTable++;
            }
        }
        if (inUse != entries
                || inTable != entries
                || inUse + freeCount != byCode.size() - 1
                || entries * 4 > table.length * 3) {
            return "id tables out of date: " + inUse + " codes in use, " + inTable + " entries in a table of "
                    + table.length + " counting " + entries + ", " + freeCount + " free of " + byCode.size();
        }
        return null;
    }

    private static boolean endsProperlyWith(byte[] id, int idLength, byte[] filter, int filterLength) {
        int from = idLength - filterLength;
        return from > 0 && Arrays.equals(id, from, idLength, filter, 0, filterLength);
    }

    private static int hash(boolean raw, byte[] key, int length) {
        int h = raw ? 1 : 0;
        for (int i = 0; i < length; i++) {
            h = 31 * h + key[i];
        }
        // Route ids differ in their last characters (session-17, session-18): scatter neighbours over the table.
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    /** The slot holding the entry of {@code (raw, key[0, length))}, or the empty slot where it would go. */
    private int find(boolean raw, byte[] key, int length, int hash) {
        int mask = table.length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            Entry e = table[i];
            if (e == null
                    || (e.hash == hash && e.raw == raw && Arrays.equals(e.bytes, 0, e.bytes.length, key, 0, length))) {
                return i;
            }
        }
    }

    private void remove(Entry entry) {
        int mask = table.length - 1;
        int hole = entry.hash & mask;
        while (table[hole] != entry) {
            hole = (hole + 1) & mask;
        }
        table[hole] = null;
        // Knuth's algorithm R: entries store their hash, so shifting back needs no rehashing of their bytes.
        for (int j = (hole + 1) & mask; table[j] != null; j = (j + 1) & mask) {
            int home = requireNonNull(table[j]).hash & mask;
            boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!stays) {
                table[hole] = table[j];
                table[j] = null;
                hole = j;
            }
        }
        entries--;
    }

    private void rehash(int capacity) {
        @Nullable Entry[] grown = new Entry[capacity];
        int mask = capacity - 1;
        for (Entry e : table) {
            if (e != null) {
                int i = e.hash & mask;
                while (grown[i] != null) {
                    i = (i + 1) & mask;
                }
                grown[i] = e;
            }
        }
        table = grown;
    }

    /**
     * A route-id prefix shared by the rows whose id is {@code bytes + filter}, or (raw) a whole route id that does not
     * end with its filter.
     */
    private static final class Entry {
        final byte[] bytes;
        final boolean raw;
        final int hash;
        final int code;
        int refs;

        Entry(byte[] bytes, boolean raw, int hash, int code) {
            this.bytes = bytes;
            this.raw = raw;
            this.hash = hash;
            this.code = code;
        }
    }
}
