package io.clink.api.config;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * A link's {@code tcp_opts}: socket options of its connections (EMQX {@code client_tcp_opts}, protocol document
 * section 5.1). Every option is optional; an unset option leaves the transport's default. The transport sets them on
 * the TCP socket before it connects, under TLS as well. Immutable; built by {@link #builder()}.
 *
 * <p>EMQX's {@code active_n}, {@code buffer} and {@code delay_send} tune the Erlang port driver and have no JVM
 * socket equivalent: the configuration loader accepts them with a warning and does not keep them.
 *
 * @since 0.1.0
 */
public final class TcpOptions {

    /** Option {@code nodelay}. */
    public static final ConfigOption<Boolean> NODELAY = ConfigOption.optional(
            "nodelay", "TCP_NODELAY: send small packets at once instead of coalescing them. Default: on.", "boolean");

    /** Option {@code sndbuf}. */
    public static final ConfigOption<Integer> SNDBUF =
            ConfigOption.optional("sndbuf", "SO_SNDBUF: the kernel send buffer size.", "bytes, 1..2^31-1");

    /** Option {@code recbuf}. */
    public static final ConfigOption<Integer> RECBUF =
            ConfigOption.optional("recbuf", "SO_RCVBUF: the kernel receive buffer size.", "bytes, 1..2^31-1");

    /** Option {@code keepalive}. */
    public static final ConfigOption<TcpKeepalive> KEEPALIVE = ConfigOption.optional(
            "keepalive",
            "TCP keepalive probing (SO_KEEPALIVE with TCP_KEEPIDLE, TCP_KEEPINTERVAL, TCP_KEEPCOUNT), "
                    + "\"Idle,Interval,Probes\" in seconds/seconds/count, or \"none\".",
            "\"none\" or three integers: idle 1..7200, interval 1..7200, probes 1..127");

    /** No option set. */
    public static final TcpOptions DEFAULT = builder().build();

    private static final String PREFIX = "tcp_opts.";

    private final @Nullable Boolean nodelay;
    private final int sndbuf;
    private final int recbuf;
    private final @Nullable TcpKeepalive keepalive;

    private TcpOptions(Builder b) {
        this.nodelay = b.nodelay;
        this.sndbuf = b.sndbuf;
        this.recbuf = b.recbuf;
        this.keepalive = b.keepalive;
    }

    /**
     * Starts a builder with nothing set.
     *
     * @return a new builder
     * @since 0.1.0
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@code nodelay}.
     *
     * @return the flag, or empty for the transport's default (on)
     * @since 0.1.0
     */
    public Optional<Boolean> nodelay() {
        return Optional.ofNullable(nodelay);
    }

    /**
     * {@code sndbuf}.
     *
     * @return bytes, or empty for the system default
     * @since 0.1.0
     */
    public OptionalInt sndbuf() {
        return sndbuf == 0 ? OptionalInt.empty() : OptionalInt.of(sndbuf);
    }

    /**
     * {@code recbuf}.
     *
     * @return bytes, or empty for the system default
     * @since 0.1.0
     */
    public OptionalInt recbuf() {
        return recbuf == 0 ? OptionalInt.empty() : OptionalInt.of(recbuf);
    }

    /**
     * {@code keepalive}.
     *
     * @return the probing settings, or empty for none ({@code "none"} or unset)
     * @since 0.1.0
     */
    public Optional<TcpKeepalive> keepalive() {
        return Optional.ofNullable(keepalive);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TcpOptions)) {
            return false;
        }
        TcpOptions t = (TcpOptions) o;
        return sndbuf == t.sndbuf
                && recbuf == t.recbuf
                && Objects.equals(nodelay, t.nodelay)
                && Objects.equals(keepalive, t.keepalive);
    }

    @Override
    public int hashCode() {
        return Objects.hash(nodelay, sndbuf, recbuf, keepalive);
    }

    @Override
    public String toString() {
        return "TcpOptions{nodelay=" + nodelay + ", sndbuf="
                + sndbuf().stream().boxed().findFirst().orElse(null)
                + ", recbuf=" + recbuf().stream().boxed().findFirst().orElse(null) + ", keepalive="
                + (keepalive == null ? "none" : keepalive) + '}';
    }

    /**
     * Builds {@link TcpOptions}. Not thread-safe. Each setter checks its value at once and throws {@link
     * InvalidConfigException} naming the option; {@link #build()} refuses an option set twice.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private final Checks.SetOnce setOnce = new Checks.SetOnce();
        private @Nullable Boolean nodelay;
        private int sndbuf;
        private int recbuf;
        private @Nullable TcpKeepalive keepalive;

        private Builder() {}

        /**
         * Sets {@code nodelay}.
         *
         * @param on the flag
         * @return this builder
         */
        public Builder nodelay(boolean on) {
            this.nodelay = on;
            setOnce.mark(PREFIX + NODELAY.name());
            return this;
        }

        /**
         * Sets {@code sndbuf}.
         *
         * @param bytes 1 or more
         * @return this builder
         * @throws InvalidConfigException if not positive
         */
        public Builder sndbuf(int bytes) {
            this.sndbuf = Checks.range(PREFIX + SNDBUF.name(), bytes, 1, Integer.MAX_VALUE);
            setOnce.mark(PREFIX + SNDBUF.name());
            return this;
        }

        /**
         * Sets {@code recbuf}.
         *
         * @param bytes 1 or more
         * @return this builder
         * @throws InvalidConfigException if not positive
         */
        public Builder recbuf(int bytes) {
            this.recbuf = Checks.range(PREFIX + RECBUF.name(), bytes, 1, Integer.MAX_VALUE);
            setOnce.mark(PREFIX + RECBUF.name());
            return this;
        }

        /**
         * Sets {@code keepalive} from EMQX's notation.
         *
         * @param spec {@code "none"} or {@code "Idle,Interval,Probes"}
         * @return this builder
         * @throws InvalidConfigException if the text is invalid
         */
        public Builder keepalive(String spec) {
            Objects.requireNonNull(spec, "spec");
            this.keepalive = spec.trim().equalsIgnoreCase("none") ? null : TcpKeepalive.parse(spec);
            setOnce.mark(PREFIX + KEEPALIVE.name());
            return this;
        }

        /**
         * Sets {@code keepalive}.
         *
         * @param keepalive the settings, or null for none
         * @return this builder
         */
        public Builder keepalive(@Nullable TcpKeepalive keepalive) {
            this.keepalive = keepalive;
            setOnce.mark(PREFIX + KEEPALIVE.name());
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws InvalidConfigException if an option was set twice
         */
        public TcpOptions build() {
            setOnce.check();
            return new TcpOptions(this);
        }
    }
}
