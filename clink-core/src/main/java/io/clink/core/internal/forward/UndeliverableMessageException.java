package io.clink.core.internal.forward;

/**
 * A forwarded message that is a well-formed record, and one EMQX would deliver, but that the broker SPI cannot
 * carry (e.g. a topic that is not UTF-8). Answered with a PUBACK failure code and never with a disconnect: the
 * sender counts it failed and moves on, where a disconnect would make it send the same message again.
 */
public final class UndeliverableMessageException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int reasonCode;

    /**
     * @param reasonCode the PUBACK reason code to answer with, 0x80 or more
     * @param message what makes the message undeliverable, naming the value
     */
    public UndeliverableMessageException(int reasonCode, String message) {
        super(message);
        if (reasonCode < 0x80 || reasonCode > 0xFF) {
            throw new IllegalArgumentException("an undeliverable message is answered with a failure code "
                    + "(0x80-0xFF), got 0x" + Integer.toHexString(reasonCode));
        }
        this.reasonCode = reasonCode;
    }

    /**
     * Returns the PUBACK reason code.
     *
     * @return 0x80 or more
     */
    public int reasonCode() {
        return reasonCode;
    }
}
