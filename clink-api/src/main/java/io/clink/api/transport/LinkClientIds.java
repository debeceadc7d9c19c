package io.clink.api.transport;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Builds the client ids of link connections, as protocol document section 2.2 defines them, so that a peer's ACLs
 * and session takeover see the same ids an EMQX node would use.
 *
 * <ul>
 *   <li>route replication: {@code <base>:routesync:<sha8>}</li>
 *   <li>message forwarding: {@code <base>:msg:<sha8>:<N>}, N = 1..pool size</li>
 * </ul>
 *
 * <p>{@code base} is the link's {@code clientid}, or the local cluster name when unset; {@code sha8} is the first 8
 * lowercase hex characters of the SHA-1 of the sending node's name (UTF-8), which keeps ids unique per node.
 *
 * <p>Thread-safe, stateless; every method is pure.
 *
 * @since 0.1.0
 */
public final class LinkClientIds {

    private LinkClientIds() {}

    /**
     * The first 8 lowercase hex characters of the SHA-1 of {@code nodeName}.
     *
     * @param nodeName the node name, not null, not empty
     * @return 8 characters of {@code [0-9a-f]}
     * @throws IllegalArgumentException if the node name is empty
     * @since 0.1.0
     */
    public static String sha8(String nodeName) {
        Objects.requireNonNull(nodeName, "nodeName");
        if (nodeName.isEmpty()) {
            throw new IllegalArgumentException("nodeName must not be empty");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(nodeName.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-1 (MessageDigest Javadoc).
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }

    /**
     * The client id of the route replication connection: {@code <base>:routesync:<sha8>}.
     *
     * @param base the link's client id base, not null, not empty
     * @param nodeName the sending node's name, not null, not empty
     * @return the client id
     * @throws IllegalArgumentException if {@code base} or {@code nodeName} is empty
     * @since 0.1.0
     */
    public static String routeSync(String base, String nodeName) {
        return checkBase(base) + ":routesync:" + sha8(nodeName);
    }

    /**
     * The client id of forwarding connection number {@code n}: {@code <base>:msg:<sha8>:<n>}.
     *
     * @param base the link's client id base, not null, not empty
     * @param nodeName the sending node's name, not null, not empty
     * @param n the 1-based index of the connection in the forwarding pool
     * @return the client id
     * @throws IllegalArgumentException if {@code base} or {@code nodeName} is empty, or {@code n} is below 1
     * @since 0.1.0
     */
    public static String message(String base, String nodeName, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("forwarding connection number must be 1 or more: " + n);
        }
        return checkBase(base) + ":msg:" + sha8(nodeName) + ":" + n;
    }

    private static String checkBase(String base) {
        Objects.requireNonNull(base, "base");
        if (base.isEmpty()) {
            throw new IllegalArgumentException("client id base must not be empty");
        }
        return base;
    }
}
