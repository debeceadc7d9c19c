package io.clink.api.config;

import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The parsed {@code server} of a link: the remote cluster's link listener as {@code host[:port]}, optionally with a
 * {@code mqtt://} or {@code mqtts://} scheme. Immutable; equal when host, port and TLS flag are equal.
 *
 * <p>Like EMQX, the default port is 1883 whatever the scheme, and exactly one server is allowed. IPv6 literals go in
 * brackets ({@code [2001:db8::1]:1883}).
 *
 * @since 0.1.0
 */
public final class ServerAddress {

    /** The port used when {@code server} names none. */
    public static final int DEFAULT_PORT = 1883;

    private static final String OPTION = "server";

    private final String host;
    private final int port;
    private final boolean tls;

    private ServerAddress(String host, int port, boolean tls) {
        this.host = host;
        this.port = port;
        this.tls = tls;
    }

    /**
     * Parses a {@code server} value.
     *
     * @param server {@code host}, {@code host:port}, {@code [ipv6]:port}, optionally prefixed by {@code mqtt://} or
     *     {@code mqtts://}
     * @return the address
     * @throws InvalidConfigException naming the value and what is wrong with it
     * @throws NullPointerException if {@code server} is null
     * @since 0.1.0
     */
    public static ServerAddress parse(String server) {
        Objects.requireNonNull(server, OPTION);
        if (server.isBlank()) {
            throw InvalidConfigException.invalid(OPTION, "must not be empty");
        }
        for (int i = 0; i < server.length(); i++) {
            if (Character.isWhitespace(server.charAt(i)) || Character.isISOControl(server.charAt(i))) {
                throw fail(server, "contains whitespace or a control character");
            }
        }
        if (server.indexOf(',') >= 0) {
            throw fail(server, "names more than one server; a link connects to exactly one host[:port]");
        }
        String rest = server;
        boolean tls = false;
        int schemeEnd = server.indexOf("://");
        if (schemeEnd >= 0) {
            String scheme = server.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
            if (scheme.equals("mqtts")) {
                tls = true;
            } else if (!scheme.equals("mqtt")) {
                throw fail(
                        server,
                        "has unsupported scheme '" + server.substring(0, schemeEnd) + "' (allowed: mqtt, mqtts)");
            }
            rest = server.substring(schemeEnd + 3);
        }
        for (char c : new char[] {'/', '?', '#', '@'}) {
            if (rest.indexOf(c) >= 0) {
                throw fail(server, "must be host[:port] without user info, path or query (found '" + c + "')");
            }
        }
        String host;
        String portText = null;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw fail(server, "has an IPv6 literal without its closing ']'");
            }
            host = rest.substring(1, close);
            String after = rest.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw fail(server, "has text after the IPv6 literal that is not ':port'");
                }
                portText = after.substring(1);
            }
            if (host.isEmpty() || host.indexOf(':') < 0 || !host.chars().allMatch(ServerAddress::isIpv6Char)) {
                throw fail(server, "has an invalid IPv6 literal '" + host + "'");
            }
        } else {
            int colon = rest.indexOf(':');
            if (colon >= 0 && rest.indexOf(':', colon + 1) >= 0) {
                throw fail(server, "has more than one ':'; write IPv6 literals in brackets, as [::1]:1883");
            }
            host = colon < 0 ? rest : rest.substring(0, colon);
            portText = colon < 0 ? null : rest.substring(colon + 1);
            if (host.isEmpty()) {
                throw fail(server, "has no host");
            }
            if (!host.chars().allMatch(ServerAddress::isHostChar)) {
                throw fail(server, "has an invalid host name '" + host + "' (letters, digits, '-', '_' and '.' only)");
            }
        }
        int port = portText == null ? DEFAULT_PORT : parsePort(server, portText);
        return new ServerAddress(host, port, tls);
    }

    /**
     * An address from its parts.
     *
     * @param host a host name, IPv4 address or (unbracketed) IPv6 address
     * @param port 1..65535
     * @param tls whether the link uses TLS
     * @return the address
     * @throws InvalidConfigException if the host or port is invalid
     * @since 0.1.0
     */
    public static ServerAddress of(String host, int port, boolean tls) {
        Objects.requireNonNull(host, "host");
        String bracketed = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return parse((tls ? "mqtts://" : "mqtt://") + bracketed + ":" + port);
    }

    private static int parsePort(String server, String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw fail(server, "has an invalid port '" + text + "' (1..65535)");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw fail(server, "has port " + port + " outside 1..65535");
        }
        return port;
    }

    private static boolean isHostChar(int c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '-'
                || c == '.'
                || c == '_';
    }

    private static boolean isIpv6Char(int c) {
        return (c >= 'a' && c <= 'f')
                || (c >= 'A' && c <= 'F')
                || (c >= '0' && c <= '9')
                || c == ':'
                || c == '.'
                || c == '%'
                || isHostChar(c);
    }

    private static InvalidConfigException fail(String server, String what) {
        return InvalidConfigException.invalid(OPTION, "'" + Checks.shorten(server) + "' " + what);
    }

    /**
     * The host: a name, an IPv4 address, or an IPv6 address without brackets.
     *
     * @return the host
     * @since 0.1.0
     */
    public String host() {
        return host;
    }

    /**
     * The TCP port.
     *
     * @return 1..65535, {@link #DEFAULT_PORT} when none was given
     * @since 0.1.0
     */
    public int port() {
        return port;
    }

    /**
     * Whether the scheme was {@code mqtts://}. A link also uses TLS when its {@code ssl} block is present; see {@link
     * LinkConfig#tlsEnabled()}.
     *
     * @return {@code true} for {@code mqtts://}
     * @since 0.1.0
     */
    public boolean tls() {
        return tls;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ServerAddress)) {
            return false;
        }
        ServerAddress a = (ServerAddress) o;
        return port == a.port && tls == a.tls && host.equals(a.host);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, tls);
    }

    /** The canonical form, which {@link #parse} reads back to an equal address: {@code [mqtts://]host:port}. */
    @Override
    public String toString() {
        return (tls ? "mqtts://" : "") + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
