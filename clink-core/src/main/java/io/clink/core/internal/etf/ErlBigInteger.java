package io.clink.core.internal.etf;

import java.math.BigInteger;

/**
 * An Erlang integer outside the range of a Java {@code long}. Use {@link #integer(BigInteger)} to get the canonical
 * representation of any integer.
 */
public final class ErlBigInteger implements Term {
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private final BigInteger value;

    private ErlBigInteger(BigInteger value) {
        this.value = value;
    }

    /**
     * Returns the canonical term for an integer: {@link ErlInteger} when it fits in a long, else this type.
     *
     * @param value the value
     * @return the term
     */
    public static Term integer(BigInteger value) {
        if (value.compareTo(LONG_MIN) >= 0 && value.compareTo(LONG_MAX) <= 0) {
            return ErlInteger.of(value.longValue());
        }
        return new ErlBigInteger(value);
    }

    /**
     * Returns the value.
     *
     * @return the value, never within the range of a long
     */
    public BigInteger value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ErlBigInteger && ((ErlBigInteger) o).value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return TermPrinter.print(this);
    }
}
