package io.clink.core.internal.etf;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An Erlang list: its elements and, for an improper list, the tail that is not {@code []}. The representation is
 * canonical: a tail that is itself a list is folded into the elements, so {@code [1|[2]]} equals {@code [1,2]}.
 * {@link #NIL} is the empty list.
 */
public final class ErlList implements Term {
    public static final ErlList NIL = new ErlList(List.of(), null);

    private final List<Term> elements;
    private final @Nullable Term tail;

    private ErlList(List<Term> elements, @Nullable Term tail) {
        this.elements = elements;
        this.tail = tail;
    }

    /**
     * Returns a proper list.
     *
     * @param elements the elements (copied)
     * @return the list
     */
    public static ErlList of(List<? extends Term> elements) {
        return elements.isEmpty() ? NIL : new ErlList(List.copyOf(elements), null);
    }

    /**
     * Returns a proper list.
     *
     * @param elements the elements (copied)
     * @return the list
     */
    public static ErlList of(Term... elements) {
        return of(List.of(elements));
    }

    /**
     * Returns a list with a tail, folding a list tail into the elements.
     *
     * @param elements the elements (copied)
     * @param tail the tail; {@link #NIL} gives a proper list
     * @return the list
     */
    public static ErlList improper(List<? extends Term> elements, Term tail) {
        Objects.requireNonNull(tail, "tail");
        if (tail instanceof ErlList) {
            ErlList t = (ErlList) tail;
            List<Term> all = new ArrayList<>(elements.size() + t.elements.size());
            all.addAll(elements);
            all.addAll(t.elements);
            return t.tail == null ? of(all) : improper(all, t.tail);
        }
        if (elements.isEmpty()) {
            throw new IllegalArgumentException("an improper list needs at least one element before its tail " + tail);
        }
        return new ErlList(List.copyOf(elements), tail);
    }

    /** Takes ownership of a list the caller built and will not touch again; null elements are not checked. */
    static ErlList ofOwned(List<Term> elements, Term tail) {
        if (tail instanceof ErlList) {
            return improper(elements, tail);
        }
        return new ErlList(java.util.Collections.unmodifiableList(elements), tail);
    }

    static ErlList ofOwned(List<Term> elements) {
        return elements.isEmpty() ? NIL : new ErlList(java.util.Collections.unmodifiableList(elements), null);
    }

    /**
     * Returns the elements (for an improper list, those before the tail).
     *
     * @return an unmodifiable list
     */
    public List<Term> elements() {
        return elements;
    }

    /**
     * Returns the tail of an improper list.
     *
     * @return the tail, or {@code null} for a proper list
     */
    public @Nullable Term tail() {
        return tail;
    }

    /**
     * Tells whether the list is proper (ends in {@code []}).
     *
     * @return true if proper
     */
    public boolean isProper() {
        return tail == null;
    }

    /**
     * Tells whether this is the empty list.
     *
     * @return true for {@code []}
     */
    public boolean isNil() {
        return elements.isEmpty() && tail == null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ErlList
                && ((ErlList) o).elements.equals(elements)
                && Objects.equals(((ErlList) o).tail, tail);
    }

    @Override
    public int hashCode() {
        return elements.hashCode() * 31 + Objects.hashCode(tail);
    }

    @Override
    public String toString() {
        return TermPrinter.print(this);
    }
}
