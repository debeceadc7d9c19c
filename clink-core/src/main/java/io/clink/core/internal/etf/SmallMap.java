package io.clink.core.internal.etf;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The entries of a small decoded map ({@link #MAX_SIZE} entries at most) in two arrays, in decoded order.
 *
 * <p>Every forwarded message carries three or four small maps (flags, headers, properties, extra); a
 * {@code LinkedHashMap} costs a table and a 40-byte node per entry for each, where two exact-size arrays do. A lookup
 * is a scan of at most {@link #MAX_SIZE} keys, cheaper than hashing a term at that size; larger maps keep a hash
 * map so that a hostile map of many entries costs no quadratic time.
 *
 * <p>Immutable: every mutator of {@link AbstractMap} throws {@link UnsupportedOperationException}. Equality and hash
 * code follow {@link Map}'s contract, so it equals a {@code LinkedHashMap} of the same entries. Keys and values are
 * never null.
 */
final class SmallMap extends AbstractMap<Term, Term> {
    /** The most entries decoded into this form; beyond it the scan would cost more than hashing. */
    static final int MAX_SIZE = 8;

    private final Term[] keys;
    private final Term[] values;

    /** Takes ownership of two arrays of equal length without duplicate or null keys. */
    SmallMap(Term[] keys, Term[] values) {
        this.keys = keys;
        this.values = values;
    }

    /** The index of {@code key} among {@code keys[0..count)}, or -1. */
    static int indexOf(Term[] keys, int count, Object key) {
        for (int i = 0; i < count; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public @Nullable Term get(Object key) {
        int i = indexOf(keys, keys.length, key);
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(keys, keys.length, key) >= 0;
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public Set<Map.Entry<Term, Term>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<Term, Term>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < keys.length;
                    }

                    @Override
                    public Map.Entry<Term, Term> next() {
                        if (next >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return Map.entry(keys[i], values[i]);
                    }
                };
            }

            @Override
            public int size() {
                return keys.length;
            }
        };
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (int i = 0; i < keys.length; i++) {
            h += keys[i].hashCode() ^ values[i].hashCode();
        }
        return h;
    }
}
