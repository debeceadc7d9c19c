package io.clink.artemis.internal;

import io.clink.api.broker.adapter.HookGuard;
import io.clink.api.broker.adapter.HooksHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * The shared holder under the name the Netty handlers use, with the guard bound to this adapter's logger: attach and
 * detach run on the engine's start/stop thread; current and guard on Netty event loops, several at once.
 */
/** The currently attached {@link io.clink.api.broker.ClusterLinkHooks}. Thread-safe. */
public final class AttachedHooks extends HooksHolder {

    private static final Logger LOG = LoggerFactory.getLogger(AttachedHooks.class);
    private static final HookGuard GUARD =
            new HookGuard((what, e) -> LOG.warn("clink failed on {}: {}", what, e.toString(), e));

    /** Runs a hook call; a failure is logged, never thrown onto a broker thread (the hooks promise not to throw). */
    public static void guard(String what, Runnable call) {
        GUARD.run(what, call);
    }
}
