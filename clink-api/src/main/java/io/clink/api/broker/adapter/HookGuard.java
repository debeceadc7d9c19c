package io.clink.api.broker.adapter;

import java.util.Objects;

/**
 * Runs an adapter's calls into {@link io.clink.api.broker.ClusterLinkHooks} so that a failure is reported instead of
 * thrown onto a broker thread. The hooks promise not to throw; this is the adapter's second line, because an
 * exception escaping into a broker's event loop or interceptor chain can break connections that have nothing to do
 * with clink.
 *
 * <p>The adapter passes the {@link FailureHandler} rather than this class logging itself: clink-api depends on
 * nothing but the JDK, and the adapter's own logger keeps the report where the adapter's operators look for it (its
 * logger name and message), which the JDK's {@code System.Logger} would not.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class HookGuard {

    /**
     * Reports a hook call that threw.
     *
     * @since 0.1.0
     */
    @FunctionalInterface
    public interface FailureHandler {

        /**
         * Reports a failed hook call.
         *
         * <p>Thread: the broker thread the call ran on. Blocking: must not block (it runs on a broker thread).
         * Null policy: both arguments are non-null. Exceptions: must not throw; what it throws reaches the broker
         * thread.
         *
         * @param what what the call did, as the adapter named it (for example {@code "subscribe a/#"})
         * @param failure what the call threw
         * @since 0.1.0
         */
        void failed(String what, RuntimeException failure);
    }

    private final FailureHandler onFailure;

    /**
     * Creates a guard reporting to {@code onFailure}.
     *
     * <p>Thread: any. Blocking: never.
     *
     * @param onFailure where a failed call is reported, typically a log line of the adapter, not null
     * @throws NullPointerException if {@code onFailure} is null
     * @since 0.1.0
     */
    public HookGuard(FailureHandler onFailure) {
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    }

    /**
     * Runs {@code call}; a {@link RuntimeException} it throws goes to the failure handler instead of to the caller.
     * An {@link Error} is not caught: the JVM is in trouble and the broker should know.
     *
     * <p>Thread: any broker thread, concurrently. Blocking: as long as {@code call} and, on failure, the handler.
     * Null policy: arguments must not be null ({@link NullPointerException}, before {@code call} runs). Exceptions:
     * only what the failure handler throws.
     *
     * @param what what the call does, for the report, not null
     * @param call the hook call, not null
     * @since 0.1.0
     */
    public void run(String what, Runnable call) {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(call, "call");
        try {
            call.run();
        } catch (RuntimeException e) {
            onFailure.failed(what, e);
        }
    }
}
