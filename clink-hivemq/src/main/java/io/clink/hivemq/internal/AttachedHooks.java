package io.clink.hivemq.internal;

import io.clink.api.broker.ClusterLinkHooks;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * The engine's hooks as the adapter's HiveMQ callbacks see them, and the guard that keeps a hook failure off
 * HiveMQ's threads.
 *
 * Invariants: at most one engine is attached; the reference is swapped atomically, so a callback sees either the
 * whole old engine or the whole new one, and reads it once per event. While none is attached, events are dropped by
 * the callers (a $LINK publish is answered with 0x83 instead).
 *
 * Threads: attach and detach run on whatever thread clink's engine starts or stops on; current() and guard() run on
 * HiveMQ's lifecycle and interceptor threads (several at once, for different clients).
 */
/** The currently attached {@link ClusterLinkHooks}, read by the HiveMQ callbacks. Thread-safe. */
public final class AttachedHooks {

    private static final Logger LOG = LoggerFactory.getLogger(AttachedHooks.class);

    private volatile @Nullable ClusterLinkHooks hooks;

    /** Starts passing events to {@code hooks}, replacing any engine attached before. */
    public void attach(ClusterLinkHooks hooks) {
        this.hooks = Objects.requireNonNull(hooks, "hooks");
    }

    /** Stops passing events on. */
    public void detach() {
        this.hooks = null;
    }

    /** The attached hooks, or null while no engine is attached; read it once per event. */
    public @Nullable ClusterLinkHooks current() {
        return hooks;
    }

    /** Runs a hook call, logging a failure instead of letting it reach HiveMQ's thread (the hooks promise not to throw). */
    public static void guard(String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("clink failed on {}: {}", what, e.toString(), e);
        }
    }
}
