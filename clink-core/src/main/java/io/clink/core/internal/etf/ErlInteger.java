package io.clink.core.internal.etf;

/**
 * An Erlang integer that fits in a Java {@code long}; larger ones are {@link ErlBigInteger}, so every integer has
 * exactly one representation.
 */
public final class ErlInteger implements Term {
    private static final ErlInteger[] SMALL = new ErlInteger[256];

    static {
        for (int i = 0; i < SMALL.length; i++) {
            SMALL[i] = new ErlInteger(i);
        }
    }

    private final long value;

    private ErlInteger(long value) {
        this.value = value;
    }

    /**
     * Returns the integer term for a value; 0 to 255 are shared instances.
     *
     * @param value the value
     * @return the term
     */
    public static ErlInteger of(long value) {
        return value >= 0 && value < SMALL.length ? SMALL[(int) value] : new ErlInteger(value);
    }

    /**
     * Returns the value.
     *
     * @return the value
     */
    public long value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ErlInteger && ((ErlInteger) o).value == value;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
