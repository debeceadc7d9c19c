package io.clink.artemis.internal;

import io.clink.api.broker.ClusterLinkHooks;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * The engine's hooks as the adapter's Netty handlers see them, and the guard that keeps a hook failure off Artemis's
 * event loop. At most one engine is attached; the reference is swapped atomically and read once per event. attach and
 * detach run on the engine's start/stop thread; current and guard on Netty event loops, several at once.
 */
/** The currently attached {@link ClusterLinkHooks}. Thread-safe. */
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

    /** The attached hooks, or null while no engine is attached. */
    public @Nullable ClusterLinkHooks current() {
        return hooks;
    }

    /** Runs a hook call; a failure is logged, never thrown onto a broker thread (the hooks promise not to throw). */
    public static void guard(String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("clink failed on {}: {}", what, e.toString(), e);
        }
    }
}
