package io.clink.api.config;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * A link's {@code tcp_opts}: socket options of its connections (EMQX {@code client_tcp_opts}, protocol document
 * section 5.1). Every option is optional; an unset option leaves the transport's default. Immutable; built by
 * {@link #builder()}.
 *
 * @since 0.1.0
 */
public final class TcpOptions {

    /** Option {@code active_n}. */
    public static final ConfigOption<Integer> ACTIVE_N = ConfigOption.withDefault(
            "active_n",
            10,
            "Erlang socket batching (packets read per wake-up). Accepted for EMQX compatibility; the JVM transports "
                    + "ignore it.",
            "integer, 1..65535");

    /** Option {@code nodelay}. */
    public static final ConfigOption<Boolean> NODELAY = ConfigOption.optional(
            "nodelay", "TCP_NODELAY: send small packets at once instead of coalescing them.", "boolean");

    /** Option {@code sndbuf}. */
    public static final ConfigOption<Integer> SNDBUF =
            ConfigOption.optional("sndbuf", "SO_SNDBUF: the kernel send buffer size.", "bytes, 1..2^31-1");

    /** Option {@code recbuf}. */
    public static final ConfigOption<Integer> RECBUF =
            ConfigOption.optional("recbuf", "SO_RCVBUF: the kernel receive buffer size.", "bytes, 1..2^31-1");

    /** Option {@code buffer}. */
    public static final ConfigOption<Integer> BUFFER =
            ConfigOption.optional("buffer", "Size of the transport's user-space socket buffer.", "bytes, 1..2^31-1");

    /** Option {@code keepalive}. */
    public static final ConfigOption<TcpKeepalive> KEEPALIVE = ConfigOption.optional(
            "keepalive",
            "TCP keepalive probing, \"Idle,Interval,Probes\" in seconds/seconds/count, or \"none\".",
            "\"none\" or three integers: idle 1..7200, interval 1..7200, probes 1..127");

    /** Option {@code delay_send}. */
    public static final ConfigOption<Boolean> DELAY_SEND =
            ConfigOption.optional("delay_send", "Queue outgoing data briefly to send it in larger writes.", "boolean");

    /** No option set. */
    public static final TcpOptions DEFAULT = builder().build();

    private static final String PREFIX = "tcp_opts.";

    private final int activeN;
    private final @Nullable Boolean nodelay;
    private final int sndbuf;
    private final int recbuf;
    private final int buffer;
    private final @Nullable TcpKeepalive keepalive;
    private final @Nullable Boolean delaySend;

    private TcpOptions(Builder b) {
        this.activeN = b.activeN;
        this.nodelay = b.nodelay;
        this.sndbuf = b.sndbuf;
        this.recbuf = b.recbuf;
        this.buffer = b.buffer;
        this.keepalive = b.keepalive;
        this.delaySend = b.delaySend;
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
     * {@code active_n}: accepted for EMQX compatibility, without effect on the JVM.
     *
     * @return the value, default 10
     * @since 0.1.0
     */
    public int activeN() {
        return activeN;
    }

    /**
     * {@code nodelay}.
     *
     * @return the flag, or empty for the transport's default
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
     * {@code buffer}.
     *
     * @return bytes, or empty for the transport's default
     * @since 0.1.0
     */
    public OptionalInt buffer() {
        return buffer == 0 ? OptionalInt.empty() : OptionalInt.of(buffer);
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

    /**
     * {@code delay_send}.
     *
     * @return the flag, or empty for the transport's default
     * @since 0.1.0
     */
    public Optional<Boolean> delaySend() {
        return Optional.ofNullable(delaySend);
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
        return activeN == t.activeN
                && sndbuf == t.sndbuf
                && recbuf == t.recbuf
                && buffer == t.buffer
                && Objects.equals(nodelay, t.nodelay)
                && Objects.equals(keepalive, t.keepalive)
                && Objects.equals(delaySend, t.delaySend);
    }

    @Override
    public int hashCode() {
        return Objects.hash(activeN, nodelay, sndbuf, recbuf, buffer, keepalive, delaySend);
    }

    @Override
    public String toString() {
        return "TcpOptions{active_n=" + activeN + ", nodelay=" + nodelay + ", sndbuf="
                + sndbuf().stream().boxed().findFirst().orElse(null) + ", recbuf="
                + recbuf().stream().boxed().findFirst().orElse(null) + ", buffer="
                + buffer().stream().boxed().findFirst().orElse(null) + ", keepalive="
                + (keepalive == null ? "none" : keepalive) + ", delay_send=" + delaySend + '}';
    }

    /**
     * Builds {@link TcpOptions}. Not thread-safe. Each setter checks its value at once and throws {@link
     * InvalidConfigException} naming the option; {@link #build()} refuses an option set twice.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private final Checks.SetOnce setOnce = new Checks.SetOnce();
        private int activeN = ACTIVE_N.defaultOrThrow();
        private @Nullable Boolean nodelay;
        private int sndbuf;
        private int recbuf;
        private int buffer;
        private @Nullable TcpKeepalive keepalive;
        private @Nullable Boolean delaySend;

        private Builder() {}

        /**
         * Sets {@code active_n} (default 10; no effect on the JVM).
         *
         * @param n 1..65535
         * @return this builder
         * @throws InvalidConfigException if out of range
         */
        public Builder activeN(int n) {
            this.activeN = Checks.range(PREFIX + ACTIVE_N.name(), n, 1, 65535);
            setOnce.mark(PREFIX + ACTIVE_N.name());
            return this;
        }

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
         * Sets {@code buffer}.
         *
         * @param bytes 1 or more
         * @return this builder
         * @throws InvalidConfigException if not positive
         */
        public Builder buffer(int bytes) {
            this.buffer = Checks.range(PREFIX + BUFFER.name(), bytes, 1, Integer.MAX_VALUE);
            setOnce.mark(PREFIX + BUFFER.name());
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
         * Sets {@code delay_send}.
         *
         * @param on the flag
         * @return this builder
         */
        public Builder delaySend(boolean on) {
            this.delaySend = on;
            setOnce.mark(PREFIX + DELAY_SEND.name());
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
