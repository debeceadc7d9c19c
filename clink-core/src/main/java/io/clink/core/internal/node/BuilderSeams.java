package io.clink.core.internal.node;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Settings of {@code io.clink.core.ClusterLink.Builder} that only tests set, kept out of the public API: deterministic
 * scenario tests replace the random source of backoff jitter and request ids.
 *
 * <p>The builder's class registers how to reach its private state once, when it is initialized ({@link #register});
 * since a builder only comes from {@code ClusterLink.builder()}, registration has always happened by the time a test
 * holds one. The builder's type is a type parameter so that this package need not depend on the facade's.
 *
 * <p>Threading: any thread; registration is published through an atomic reference.
 */
public final class BuilderSeams {

    /** How to set the test-only settings on a builder of type {@code B}. */
    public interface Access<B> {
        /** Sets the random source of {@code builder}. */
        void random(B builder, DoubleSupplier random);
    }

    private record Registration<B>(Class<B> type, Access<B> access) {
        void random(Object builder, DoubleSupplier random) {
            access.random(type.cast(builder), random);
        }
    }

    private static final AtomicReference<@Nullable Registration<?>> REGISTRATION = new AtomicReference<>();

    private BuilderSeams() {}

    /**
     * Called once by the builder's class.
     *
     * @throws IllegalStateException if something registered already
     */
    public static <B> void register(Class<B> builderType, Access<B> access) {
        Registration<B> r = new Registration<>(
                Objects.requireNonNull(builderType, "builderType"), Objects.requireNonNull(access, "access"));
        if (!REGISTRATION.compareAndSet(null, r)) {
            Registration<?> existing = REGISTRATION.get();
            throw new IllegalStateException("builder seams already registered by "
                    + (existing == null ? "?" : existing.type().getName()) + "; refused " + builderType.getName());
        }
    }

    /**
     * Replaces the builder's random source (default {@code ThreadLocalRandom}).
     *
     * @param builder a {@code ClusterLink.Builder}
     * @param random uniform in [0, 1)
     * @return {@code builder}, for chaining
     * @throws IllegalArgumentException if {@code builder} is not a {@code ClusterLink.Builder}
     */
    public static <B> B random(B builder, DoubleSupplier random) {
        Objects.requireNonNull(builder, "builder");
        Objects.requireNonNull(random, "random");
        Registration<?> r = REGISTRATION.get();
        if (r == null || !r.type().isInstance(builder)) {
            throw new IllegalArgumentException(
                    "not a ClusterLink.Builder: " + builder.getClass().getName());
        }
        r.random(builder, random);
        return builder;
    }
}
