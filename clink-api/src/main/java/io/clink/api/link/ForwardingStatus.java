package io.clink.api.link;

import java.util.Locale;

/**
 * Health of a link's message-forwarding connection pool on this node, with EMQX's values (protocol document section
 * 6.2). This is what EMQX reports as a link's {@code status}: the forwarding pool's health, not the route actors'.
 *
 * @since 0.1.0
 */
public enum ForwardingStatus {
    /** Every pool connection is up. */
    CONNECTED,
    /** At least one pool connection is being (re)established and none has failed for good. */
    CONNECTING,
    /** At least one pool connection is down, or the link is disabled or not running. */
    DISCONNECTED;

    /**
     * The value as EMQX's management API spells it.
     *
     * @return {@code connected}, {@code connecting} or {@code disconnected}
     * @since 0.1.0
     */
    public String apiValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Combines the states of the pool's connections with EMQX's rule: any {@link #DISCONNECTED} connection makes the
     * pool disconnected, otherwise any {@link #CONNECTING} makes it connecting.
     *
     * @param connections the state of each pool connection, not null; an empty pool is {@link #DISCONNECTED}
     * @return the pool's status
     * @since 0.1.0
     */
    public static ForwardingStatus ofPool(Iterable<ForwardingStatus> connections) {
        boolean any = false;
        boolean connecting = false;
        for (ForwardingStatus s : connections) {
            any = true;
            if (s == DISCONNECTED) {
                return DISCONNECTED;
            }
            connecting |= s == CONNECTING;
        }
        if (!any) {
            return DISCONNECTED;
        }
        return connecting ? CONNECTING : CONNECTED;
    }
}
