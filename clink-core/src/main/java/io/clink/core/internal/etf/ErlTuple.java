package io.clink.core.internal.etf;

import java.util.Arrays;
import java.util.List;

/** An Erlang tuple. */
public final class ErlTuple implements Term {
    private final Term[] elements;

    private ErlTuple(Term[] elements) {
        this.elements = elements;
    }

    /**
     * Returns a tuple of the given elements.
     *
     * @param elements the elements (copied)
     * @return the tuple
     */
    public static ErlTuple of(Term... elements) {
        Term[] copy = elements.clone();
        for (Term t : copy) {
            java.util.Objects.requireNonNull(t, "tuple element");
        }
        return new ErlTuple(copy);
    }

    /** Takes ownership of an array the caller built and will not touch again. */
    static ErlTuple ofOwned(Term[] elements) {
        return new ErlTuple(elements);
    }

    /**
     * Returns the number of elements.
     *
     * @return the arity
     */
    public int arity() {
        return elements.length;
    }

    /**
     * Returns one element.
     *
     * @param index the index, from 0 (Erlang's {@code element/2} counts from 1)
     * @return the element
     * @throws IndexOutOfBoundsException if the index is outside the tuple
     */
    public Term get(int index) {
        return elements[index];
    }

    /**
     * Returns the elements.
     *
     * @return an unmodifiable list
     */
    public List<Term> elements() {
        return List.of(elements);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ErlTuple && Arrays.equals(elements, ((ErlTuple) o).elements);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(elements);
    }

    @Override
    public String toString() {
        return TermPrinter.print(this);
    }
}
