package io.clink.core.internal.etf;

import java.util.Arrays;

/**
 * A term this model does not interpret (a pid, reference, port or fun), kept as its ETF bytes (tag included) so it
 * can be written back. Peers may put such terms in message headers; clink never needs their content. The bytes are
 * canonical: embedded atoms are held in their UTF-8 form and a fun's size field matches, so the same term read from
 * OTP 25's Latin-1 encoding or from the UTF-8 one is equal and re-encodes exactly as erts's
 * {@code {minor_version, 2}} does. Equality is by these bytes.
 */
public final class ErlOpaque implements Term {
    /** What an opaque term is, in Erlang term order (references sort before funs, funs before ports...). */
    public enum Kind {
        REFERENCE,
        FUN,
        PORT,
        PID
    }

    private final Kind kind;
    private final byte[] bytes;

    ErlOpaque(Kind kind, byte[] bytes) {
        this.kind = kind;
        this.bytes = bytes;
    }

    /**
     * Returns what kind of term this is.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * Returns the ETF tag of the term.
     *
     * @return the tag byte, unsigned
     */
    public int tag() {
        return bytes[0] & 0xff;
    }

    /**
     * Returns the canonical encoded bytes, tag first.
     *
     * @return a copy
     */
    public byte[] bytes() {
        return bytes.clone();
    }

    int length() {
        return bytes.length;
    }

    byte[] rawBytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ErlOpaque && Arrays.equals(bytes, ((ErlOpaque) o).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return TermPrinter.print(this);
    }
}
