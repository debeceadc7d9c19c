package io.clink.core.internal.etf;

/**
 * The bounds the decoder enforces on untrusted input. Immutable; build with {@link #builder()}.
 */
public final class EtfLimits {
    /** 16 MiB. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;
    /** 16 MiB. */
    public static final int DEFAULT_MAX_INFLATED_BYTES = 16 * 1024 * 1024;
    /** 64 levels of tuples, lists and maps. */
    public static final int DEFAULT_MAX_DEPTH = 64;
    /** The largest depth a builder accepts: the decoder recurses once per level. */
    public static final int MAX_DEPTH_LIMIT = 1024;

    private static final EtfLimits DEFAULTS = builder().build();

    private final int maxPayloadBytes;
    private final int maxInflatedBytes;
    private final int maxDepth;

    private EtfLimits(Builder b) {
        this.maxPayloadBytes = b.maxPayloadBytes;
        this.maxInflatedBytes = b.maxInflatedBytes;
        this.maxDepth = b.maxDepth;
    }

    /**
     * Returns the default limits: 16 MiB payload, 16 MiB inflated, depth 64.
     *
     * @return the defaults
     */
    public static EtfLimits defaults() {
        return DEFAULTS;
    }

    /**
     * Returns a builder preset to the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the largest payload (as received, compressed or not) the decoder reads.
     *
     * @return bytes
     */
    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /**
     * Returns the largest inflated size a compressed payload may declare or reach.
     *
     * @return bytes
     */
    public int maxInflatedBytes() {
        return maxInflatedBytes;
    }

    /**
     * Returns the deepest nesting of tuples, lists and maps the decoder accepts.
     *
     * @return levels
     */
    public int maxDepth() {
        return maxDepth;
    }

    /** Builds {@link EtfLimits}; every setter validates its argument. */
    public static final class Builder {
        private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
        private int maxInflatedBytes = DEFAULT_MAX_INFLATED_BYTES;
        private int maxDepth = DEFAULT_MAX_DEPTH;

        private Builder() {}

        /**
         * Sets the largest payload the decoder reads.
         *
         * @param bytes at least 2
         * @return this builder
         * @throws IllegalArgumentException if below 2
         */
        public Builder maxPayloadBytes(int bytes) {
            if (bytes < 2) {
                throw new IllegalArgumentException(
                        "maxPayloadBytes must be at least 2 (version byte and a tag), got " + bytes);
            }
            this.maxPayloadBytes = bytes;
            return this;
        }

        /**
         * Sets the largest inflated size of a compressed payload.
         *
         * @param bytes at least 1
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxInflatedBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxInflatedBytes must be at least 1, got " + bytes);
            }
            this.maxInflatedBytes = bytes;
            return this;
        }

        /**
         * Sets the deepest nesting accepted.
         *
         * @param levels between 1 and {@link #MAX_DEPTH_LIMIT}
         * @return this builder
         * @throws IllegalArgumentException if outside that range
         */
        public Builder maxDepth(int levels) {
            if (levels < 1 || levels > MAX_DEPTH_LIMIT) {
                throw new IllegalArgumentException(
                        "maxDepth must be between 1 and " + MAX_DEPTH_LIMIT + ", got " + levels);
            }
            this.maxDepth = levels;
            return this;
        }

        /**
         * Builds the limits.
         *
         * @return the immutable limits
         */
        public EtfLimits build() {
            return new EtfLimits(this);
        }
    }
}
