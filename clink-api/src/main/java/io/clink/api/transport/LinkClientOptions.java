package io.clink.api.transport;

import io.clink.api.config.TcpOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Everything needed to open one link connection: where, as whom, and how. Immutable; built by {@link #builder()},
 * which validates each value as it is set.
 *
 * <p>The engine derives these from the link configuration: host and port from {@code server}, the client id from
 * {@code clientid} plus the suffix of protocol document section 2.2 ({@code <base>:routesync:<sha8>} or
 * {@code <base>:msg:<sha8>:<N>}), credentials, {@code ssl}, {@code max_inflight}, {@code tcp_opts}.
 *
 * @since 0.1.0
 */
public final class LinkClientOptions {

    /** Default MQTT keepalive, as EMQX's link clients use: 60 seconds. */
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(60);
    /** Default time allowed for TCP, TLS and CONNACK together: 10 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default in-flight window: 32, the link's {@code max_inflight} default. */
    public static final int DEFAULT_MAX_INFLIGHT = 32;

    private final String host;
    private final int port;
    private final @Nullable TlsSettings tls;
    private final String clientId;
    private final boolean cleanStart;
    private final long sessionExpiryIntervalSeconds;
    private final Duration keepAlive;
    private final Duration connectTimeout;
    private final @Nullable String username;
    private final byte @Nullable [] password;
    private final int maxInflight;
    private final TcpOptions tcpOptions;

    private LinkClientOptions(Builder b) {
        this.host = Objects.requireNonNull(b.host, "host");
        this.port = b.port;
        this.tls = b.tls;
        this.clientId = Objects.requireNonNull(b.clientId, "clientId");
        this.cleanStart = b.cleanStart;
        this.sessionExpiryIntervalSeconds = b.sessionExpiryIntervalSeconds;
        this.keepAlive = b.keepAlive;
        this.connectTimeout = b.connectTimeout;
        this.username = b.username;
        this.password = b.password == null ? null : b.password.clone();
        this.maxInflight = b.maxInflight;
        this.tcpOptions = b.tcpOptions;
    }

    /**
     * Starts a builder. {@link Builder#host}, {@link Builder#port} and {@link Builder#clientId} are required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Host name or IP literal of the peer's link listener.
     *
     * @return the host
     */
    public String host() {
        return host;
    }

    /**
     * TCP port of the peer's link listener.
     *
     * @return 1..65535
     */
    public int port() {
        return port;
    }

    /**
     * TLS settings, present when the connection uses TLS ({@code mqtts://} or {@code ssl.enable = true}).
     *
     * @return the settings, or empty for plain TCP
     */
    public Optional<TlsSettings> tls() {
        return Optional.ofNullable(tls);
    }

    /**
     * MQTT client identifier.
     *
     * @return the client id, non-empty
     */
    public String clientId() {
        return clientId;
    }

    /**
     * The CONNECT clean-start flag. Default {@code true}, as EMQX 5.9+ link clients use.
     *
     * @return the flag
     */
    public boolean cleanStart() {
        return cleanStart;
    }

    /**
     * Session-Expiry-Interval sent in CONNECT, in seconds. Default 0.
     *
     * @return seconds, 0..4294967295
     */
    public long sessionExpiryIntervalSeconds() {
        return sessionExpiryIntervalSeconds;
    }

    /**
     * MQTT keepalive. Default {@link #DEFAULT_KEEP_ALIVE}.
     *
     * @return the keepalive, whole seconds, 0 (off) to 65535 s
     */
    public Duration keepAlive() {
        return keepAlive;
    }

    /**
     * Time allowed for TCP connect, TLS handshake and CONNACK together. Default {@link #DEFAULT_CONNECT_TIMEOUT}.
     *
     * @return a positive duration
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * The CONNECT user name.
     *
     * @return the user name, or empty for none
     */
    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    /**
     * The CONNECT password. A copy: the caller may wipe it.
     *
     * @return the password bytes, or empty for none
     */
    public Optional<byte[]> password() {
        return Optional.ofNullable(password).map(byte[]::clone);
    }

    /**
     * Maximum number of unacknowledged QoS 1 publishes in flight on this connection. Default {@link
     * #DEFAULT_MAX_INFLIGHT}.
     *
     * @return 1..65535
     */
    public int maxInflight() {
        return maxInflight;
    }

    /**
     * Socket options of the connection's TCP socket (the link's {@code tcp_opts}), applied before it connects and
     * kept under TLS. Default {@link TcpOptions#DEFAULT}: the transport's own choices.
     *
     * @return the options, not null
     * @since 0.2.0
     */
    public TcpOptions tcpOptions() {
        return tcpOptions;
    }

    @Override
    public String toString() {
        // Never print the password.
        return "LinkClientOptions{host=" + host + ", port=" + port + ", tls=" + (tls != null) + ", clientId=" + clientId
                + ", cleanStart=" + cleanStart + ", keepAlive=" + keepAlive + ", username=" + username
                + ", password=" + (password == null ? "none" : "******") + ", maxInflight=" + maxInflight
                + ", tcpOptions=" + tcpOptions + '}';
    }

    /**
     * Builds {@link LinkClientOptions}. Not thread-safe. Each setter rejects a bad value at once with an {@link
     * IllegalArgumentException} naming it.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private @Nullable String host;
        private int port = -1;
        private @Nullable TlsSettings tls;
        private @Nullable String clientId;
        private boolean cleanStart = true;
        private long sessionExpiryIntervalSeconds;
        private Duration keepAlive = DEFAULT_KEEP_ALIVE;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private @Nullable String username;
        private byte @Nullable [] password;
        private int maxInflight = DEFAULT_MAX_INFLIGHT;
        private TcpOptions tcpOptions = TcpOptions.DEFAULT;

        private Builder() {}

        /**
         * Sets the host.
         *
         * @param host host name or IP literal, not blank, no whitespace
         * @return this builder
         */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("host must be a host name or IP address: '" + host + "'");
            }
            this.host = host;
            return this;
        }

        /**
         * Sets the port.
         *
         * @param port 1..65535
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be in 1..65535: " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Sets TLS; null for plain TCP.
         *
         * @param tls the settings, or null
         * @return this builder
         */
        public Builder tls(@Nullable TlsSettings tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Sets the client id.
         *
         * @param clientId non-empty, at most 65535 UTF-8 bytes
         * @return this builder
         */
        public Builder clientId(String clientId) {
            Objects.requireNonNull(clientId, "clientId");
            if (clientId.isEmpty() || clientId.getBytes(StandardCharsets.UTF_8).length > 65535) {
                throw new IllegalArgumentException("clientId must be 1..65535 UTF-8 bytes: '" + clientId + "'");
            }
            this.clientId = clientId;
            return this;
        }

        /**
         * Sets the clean-start flag (default true).
         *
         * @param cleanStart the flag
         * @return this builder
         */
        public Builder cleanStart(boolean cleanStart) {
            this.cleanStart = cleanStart;
            return this;
        }

        /**
         * Sets the Session-Expiry-Interval (default 0).
         *
         * @param seconds 0..4294967295
         * @return this builder
         */
        public Builder sessionExpiryIntervalSeconds(long seconds) {
            if (seconds < 0 || seconds > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("sessionExpiryIntervalSeconds must be in 0..4294967295: " + seconds);
            }
            this.sessionExpiryIntervalSeconds = seconds;
            return this;
        }

        /**
         * Sets the keepalive (default 60 s).
         *
         * @param keepAlive whole seconds from 0 (off) to 65535
         * @return this builder
         */
        public Builder keepAlive(Duration keepAlive) {
            Objects.requireNonNull(keepAlive, "keepAlive");
            if (keepAlive.isNegative() || keepAlive.getSeconds() > 65535 || keepAlive.getNano() != 0) {
                throw new IllegalArgumentException("keepAlive must be whole seconds in 0..65535: " + keepAlive);
            }
            this.keepAlive = keepAlive;
            return this;
        }

        /**
         * Sets the connect timeout (default 10 s).
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive: " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * Sets the user name; null for none.
         *
         * @param username the user name, or null
         * @return this builder
         */
        public Builder username(@Nullable String username) {
            this.username = username;
            return this;
        }

        /**
         * Sets the password; null for none. The array is copied.
         *
         * @param password the password bytes, or null
         * @return this builder
         */
        public Builder password(byte @Nullable [] password) {
            this.password = password == null ? null : Arrays.copyOf(password, password.length);
            return this;
        }

        /**
         * Sets the in-flight window (default 32).
         *
         * @param maxInflight 1..65535
         * @return this builder
         */
        public Builder maxInflight(int maxInflight) {
            if (maxInflight < 1 || maxInflight > 65535) {
                throw new IllegalArgumentException("maxInflight must be in 1..65535: " + maxInflight);
            }
            this.maxInflight = maxInflight;
            return this;
        }

        /**
         * Sets the socket options (default {@link TcpOptions#DEFAULT}).
         *
         * @param tcpOptions the options, not null
         * @return this builder
         * @since 0.2.0
         */
        public Builder tcpOptions(TcpOptions tcpOptions) {
            this.tcpOptions = Objects.requireNonNull(tcpOptions, "tcpOptions");
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws IllegalStateException if host, port or client id is missing
         */
        public LinkClientOptions build() {
            if (host == null) {
                throw new IllegalStateException("host is required");
            }
            if (port < 0) {
                throw new IllegalStateException("port is required");
            }
            if (clientId == null) {
                throw new IllegalStateException("clientId is required");
            }
            return new LinkClientOptions(this);
        }
    }
}
