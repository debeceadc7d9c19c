package io.clink.broker;

import org.jspecify.annotations.Nullable;

/**
 * The broker could not start; the message says why and names the setting when one is at fault.
 *
 * <p>A top-level type (not nested in {@link EmbeddedClusterBroker}) so that the start checks in the internal package
 * and every broker kind can throw it without depending on the class that starts HiveMQ.
 *
 * @since 0.1.0
 */
public final class BrokerStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message why
     * @param cause the underlying failure, or null
     */
    public BrokerStartException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
