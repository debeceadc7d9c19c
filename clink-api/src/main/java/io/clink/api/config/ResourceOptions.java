package io.clink.api.config;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A link's {@code resource_opts}: how the message-forwarding side is run (protocol document section 5.2). The
 * names and defaults are EMQX's. Immutable; built by {@link #builder()}.
 *
 * <p>Only the options that mean something for clink's forwarder are here. EMQX's {@code worker_pool_size}, {@code
 * health_check_interval}, {@code start_timeout} and its other resource options have no clink equivalent (one
 * queue per forwarding connection, so {@code pool_size} sets both; the link's status follows every connection
 * event instead of being polled; starting a link never blocks): the configuration loader accepts them with a
 * warning and does not keep them.
 *
 * @since 0.1.0
 */
public final class ResourceOptions {

    /** Option {@code dispatch_strategy}. */
    public static final ConfigOption<DispatchStrategy> DISPATCH_STRATEGY = ConfigOption.withDefault(
            "dispatch_strategy",
            DispatchStrategy.PER_CLIENTID,
            "How a message is assigned to a worker: per_clientid keeps each publisher's order, random spreads load.",
            "per_clientid or random");

    /** Option {@code request_ttl}. */
    public static final ConfigOption<Duration> REQUEST_TTL = ConfigOption.withDefault(
            "request_ttl",
            Duration.ofSeconds(45),
            "How long a message may wait in the forwarding buffer before it is dropped (counted as dropped).",
            "duration, 1ms..1h");

    /** Option {@code inflight_window}. */
    public static final ConfigOption<Integer> INFLIGHT_WINDOW = ConfigOption.withDefault(
            "inflight_window",
            100,
            "Maximum number of forwarded messages awaiting acknowledgement per forwarding connection (clink's "
                    + "buffer worker); the window is the smaller of this and max_inflight.",
            "integer, 1..65535");

    /** Option {@code max_buffer_bytes}. */
    public static final ConfigOption<Long> MAX_BUFFER_BYTES = ConfigOption.withDefault(
            "max_buffer_bytes",
            256L * 1024 * 1024,
            "Maximum payload bytes buffered for forwarding; also the default of forwarding_buffer.max_bytes.",
            "bytes, 1..2^40");

    /** All defaults. */
    public static final ResourceOptions DEFAULT = builder().build();

    private static final String PREFIX = "resource_opts.";
    private static final Duration ONE_MS = Duration.ofMillis(1);
    private static final Duration ONE_HOUR = Duration.ofHours(1);

    private final DispatchStrategy dispatchStrategy;
    private final Duration requestTtl;
    private final int inflightWindow;
    private final long maxBufferBytes;

    private ResourceOptions(Builder b) {
        this.dispatchStrategy = b.dispatchStrategy;
        this.requestTtl = b.requestTtl;
        this.inflightWindow = b.inflightWindow;
        this.maxBufferBytes = b.maxBufferBytes;
    }

    /**
     * Starts a builder with the defaults.
     *
     * @return a new builder
     * @since 0.1.0
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@code dispatch_strategy}.
     *
     * @return the strategy, default {@link DispatchStrategy#PER_CLIENTID}
     * @since 0.1.0
     */
    public DispatchStrategy dispatchStrategy() {
        return dispatchStrategy;
    }

    /**
     * {@code request_ttl}.
     *
     * @return 1 ms..1 h, default 45 s
     * @since 0.1.0
     */
    public Duration requestTtl() {
        return requestTtl;
    }

    /**
     * {@code inflight_window}.
     *
     * @return 1..65535, default 100
     * @since 0.1.0
     */
    public int inflightWindow() {
        return inflightWindow;
    }

    /**
     * {@code max_buffer_bytes}.
     *
     * @return bytes, default 256 MiB
     * @since 0.1.0
     */
    public long maxBufferBytes() {
        return maxBufferBytes;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ResourceOptions)) {
            return false;
        }
        ResourceOptions r = (ResourceOptions) o;
        return inflightWindow == r.inflightWindow
                && maxBufferBytes == r.maxBufferBytes
                && dispatchStrategy == r.dispatchStrategy
                && requestTtl.equals(r.requestTtl);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dispatchStrategy, requestTtl, inflightWindow, maxBufferBytes);
    }

    @Override
    public String toString() {
        return "ResourceOptions{dispatch_strategy=" + dispatchStrategy.configValue() + ", request_ttl="
                + Checks.human(requestTtl) + ", inflight_window=" + inflightWindow + ", max_buffer_bytes="
                + maxBufferBytes + '}';
    }

    /**
     * Builds {@link ResourceOptions}. Not thread-safe. Each setter checks its value at once and throws {@link
     * InvalidConfigException} naming the option; {@link #build()} refuses an option set twice.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private final Checks.SetOnce setOnce = new Checks.SetOnce();
        private DispatchStrategy dispatchStrategy = DISPATCH_STRATEGY.defaultOrThrow();
        private Duration requestTtl = REQUEST_TTL.defaultOrThrow();
        private int inflightWindow = INFLIGHT_WINDOW.defaultOrThrow();
        private long maxBufferBytes = MAX_BUFFER_BYTES.defaultOrThrow();

        private Builder() {}

        /**
         * Sets {@code dispatch_strategy} (default per_clientid).
         *
         * @param strategy the strategy, not null
         * @return this builder
         */
        public Builder dispatchStrategy(DispatchStrategy strategy) {
            this.dispatchStrategy = Objects.requireNonNull(strategy, "strategy");
            setOnce.mark(PREFIX + DISPATCH_STRATEGY.name());
            return this;
        }

        /**
         * Sets {@code request_ttl} (default 45 s).
         *
         * @param ttl 1 ms..1 h
         * @return this builder
         * @throws InvalidConfigException if out of range
         */
        public Builder requestTtl(Duration ttl) {
            this.requestTtl = Checks.duration(PREFIX + REQUEST_TTL.name(), ttl, ONE_MS, ONE_HOUR);
            setOnce.mark(PREFIX + REQUEST_TTL.name());
            return this;
        }

        /**
         * Sets {@code inflight_window} (default 100).
         *
         * @param window 1..65535
         * @return this builder
         * @throws InvalidConfigException if out of range
         */
        public Builder inflightWindow(int window) {
            this.inflightWindow = Checks.range(PREFIX + INFLIGHT_WINDOW.name(), window, 1, 65535);
            setOnce.mark(PREFIX + INFLIGHT_WINDOW.name());
            return this;
        }

        /**
         * Sets {@code max_buffer_bytes} (default 256 MiB).
         *
         * @param bytes 1..2^40
         * @return this builder
         * @throws InvalidConfigException if out of range
         */
        public Builder maxBufferBytes(long bytes) {
            this.maxBufferBytes = Checks.range(PREFIX + MAX_BUFFER_BYTES.name(), bytes, 1L, 1L << 40);
            setOnce.mark(PREFIX + MAX_BUFFER_BYTES.name());
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws InvalidConfigException if an option was set twice
         */
        public ResourceOptions build() {
            setOnce.check();
            return new ResourceOptions(this);
        }
    }
}
