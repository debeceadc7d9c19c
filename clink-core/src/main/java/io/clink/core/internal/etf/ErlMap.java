package io.clink.core.internal.etf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An Erlang map. Entries keep the order they were given or decoded in (useful for diagnostics); equality ignores
 * order, as in Erlang. The encoder writes keys in Erlang term order regardless.
 */
public final class ErlMap implements Term {
    public static final ErlMap EMPTY = new ErlMap(Map.of());

    private final Map<Term, Term> entries;

    private ErlMap(Map<Term, Term> entries) {
        this.entries = entries;
    }

    /**
     * Returns a map with the given entries.
     *
     * @param entries the entries (copied, order kept)
     * @return the map
     */
    public static ErlMap of(Map<? extends Term, ? extends Term> entries) {
        if (entries.isEmpty()) {
            return EMPTY;
        }
        LinkedHashMap<Term, Term> copy = new LinkedHashMap<>(entries.size() * 2);
        entries.forEach(
                (k, v) -> copy.put(Objects.requireNonNull(k, "map key"), Objects.requireNonNull(v, "map value")));
        return new ErlMap(Collections.unmodifiableMap(copy));
    }

    /**
     * Returns a map from alternating keys and values.
     *
     * @param keysAndValues key, value, key, value...
     * @return the map
     * @throws IllegalArgumentException on an odd count or a duplicate key
     */
    public static ErlMap of(Term... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("map needs key/value pairs, got " + keysAndValues.length + " terms");
        }
        LinkedHashMap<Term, Term> m = new LinkedHashMap<>(keysAndValues.length);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (m.put(Objects.requireNonNull(keysAndValues[i]), Objects.requireNonNull(keysAndValues[i + 1])) != null) {
                throw new IllegalArgumentException("duplicate map key " + keysAndValues[i]);
            }
        }
        return of(m);
    }

    /** Takes ownership of a map the caller built and will not touch again. */
    static ErlMap ofOwned(LinkedHashMap<Term, Term> entries) {
        return entries.isEmpty() ? EMPTY : new ErlMap(Collections.unmodifiableMap(entries));
    }

    /** Takes ownership of a small immutable map the decoder built. */
    static ErlMap ofOwned(SmallMap entries) {
        return entries.isEmpty() ? EMPTY : new ErlMap(entries);
    }

    /**
     * Returns the entries.
     *
     * @return an unmodifiable map, in given or decoded order
     */
    public Map<Term, Term> entries() {
        return entries;
    }

    /**
     * Returns the value for a key.
     *
     * @param key the key
     * @return the value, or {@code null} if absent
     */
    public @Nullable Term get(Term key) {
        return entries.get(key);
    }

    /**
     * Returns the number of entries.
     *
     * @return the size
     */
    public int size() {
        return entries.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ErlMap && ((ErlMap) o).entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return TermPrinter.print(this);
    }
}
