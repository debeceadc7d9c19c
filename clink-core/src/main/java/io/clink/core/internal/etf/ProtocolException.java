package io.clink.core.internal.etf;

/**
 * The one checked exception every decoding failure ends in: malformed or hostile bytes, limits exceeded, or a term
 * of the wrong shape for the protocol message being read. The message names the byte offset (when the failure is
 * tied to one) and what was found against what was expected.
 */
public final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Offset value meaning "not tied to a byte position" (shape errors of an already decoded term). */
    public static final int NO_OFFSET = -1;

    private final int offset;

    /**
     * Creates an exception tied to a byte offset.
     *
     * @param offset the offset of the offending byte in the decoded input (in the inflated data for compressed
     *     payloads, as the message says)
     * @param message what was found and what was expected
     */
    public ProtocolException(int offset, String message) {
        super("at byte offset " + offset + ": " + message);
        this.offset = offset;
    }

    /**
     * Creates an exception about the shape of a decoded term, not tied to a byte offset.
     *
     * @param message what was found and what was expected
     */
    public ProtocolException(String message) {
        super(message);
        this.offset = NO_OFFSET;
    }

    /**
     * Returns the byte offset the failure is tied to.
     *
     * @return the offset, or {@link #NO_OFFSET}
     */
    public int offset() {
        return offset;
    }
}
