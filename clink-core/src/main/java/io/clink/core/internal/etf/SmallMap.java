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
 * {@code LinkedHashMap} costs a table and a 40-byte node per entry for each, where one exact-size array does. A lookup
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

    /** Key 0, value 0, key 1, value 1, ...: one array rather than two. */
    private final Term[] keysAndValues;

    /** Takes ownership of an array of alternating keys and values, without duplicate keys or nulls. */
    SmallMap(Term[] keysAndValues) {
        this.keysAndValues = keysAndValues;
    }

    /** The index of {@code key} among the first {@code count} keys of {@code keysAndValues}, or -1. */
    static int indexOf(Term[] keysAndValues, int count, Object key) {
        for (int i = 0; i < count; i++) {
            if (keysAndValues[2 * i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public @Nullable Term get(Object key) {
        int i = indexOf(keysAndValues, size(), key);
        return i < 0 ? null : keysAndValues[2 * i + 1];
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(keysAndValues, size(), key) >= 0;
    }

    @Override
    public int size() {
        return keysAndValues.length / 2;
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
                        return next < size();
                    }

                    @Override
                    public Map.Entry<Term, Term> next() {
                        if (next >= size()) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return Map.entry(keysAndValues[2 * i], keysAndValues[2 * i + 1]);
                    }
                };
            }

            @Override
            public int size() {
                return SmallMap.this.size();
            }
        };
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (int i = 0; i < keysAndValues.length; i += 2) {
            h += keysAndValues[i].hashCode() ^ keysAndValues[i + 1].hashCode();
        }
        return h;
    }
}
