package io.clink.core.internal.etf;

/** An Erlang float. Erlang has no NaN or infinities, so neither does this type. */
public final class ErlFloat implements Term {
    private final double value;

    private ErlFloat(double value) {
        this.value = value;
    }

    /**
     * Returns the float term.
     *
     * @param value a finite value
     * @return the term
     * @throws IllegalArgumentException if the value is NaN or infinite
     */
    public static ErlFloat of(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("float " + value + " is not finite; Erlang floats are always finite");
        }
        return new ErlFloat(value);
    }

    /**
     * Returns the value.
     *
     * @return the value
     */
    public double value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        // Erlang's exact equality: 0.0 =:= -0.0 is false since OTP 27, and the bit patterns differ anyway.
        return o instanceof ErlFloat && Double.doubleToLongBits(((ErlFloat) o).value) == Double.doubleToLongBits(value);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(value);
    }

    @Override
    public String toString() {
        return Double.toString(value);
    }
}
