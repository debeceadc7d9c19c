package io.clink.hivemq.internal;

import io.clink.api.broker.adapter.HookGuard;
import io.clink.api.broker.adapter.HooksHolder;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * The shared holder under the name the HiveMQ callbacks use, with the guard bound to this adapter's logger. While no
 * engine is attached, events are dropped by the callers (a $LINK publish is answered with 0x83 instead). attach and
 * detach run on whatever thread clink's engine starts or stops on; current() and guard() on HiveMQ's lifecycle and
 * interceptor threads (several at once, for different clients).
 */
/** The currently attached {@link io.clink.api.broker.ClusterLinkHooks}, read by the HiveMQ callbacks. Thread-safe. */
public final class AttachedHooks extends HooksHolder {

    private static final Logger LOG = LoggerFactory.getLogger(AttachedHooks.class);
    private static final HookGuard GUARD =
            new HookGuard((what, e) -> LOG.warn("clink failed on {}: {}", what, e.toString(), e));

    // Every $LINK publish the interceptors take out of HiveMQ's delivery: HiveMQ counts each as a dropped message.
    private final LongAdder linkPublishesConsumed = new LongAdder();

    /** Counts one {@code $LINK/...} publish whose delivery an interceptor prevents (consumed or refused). */
    public void linkPublishConsumed() {
        linkPublishesConsumed.increment();
    }

    /** How many {@code $LINK/...} publishes the interceptors took out of HiveMQ's delivery so far. */
    public long linkPublishesConsumed() {
        return linkPublishesConsumed.sum();
    }

    /** Runs a hook call, logging a failure instead of letting it reach HiveMQ's thread (the hooks promise not to throw). */
    public static void guard(String what, Runnable call) {
        GUARD.run(what, call);
    }
}
