package io.clink.api.broker.adapter;

import io.clink.api.broker.ClusterLinkHooks;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The {@link ClusterLinkHooks} currently attached to an adapter, as its broker callbacks read them: the adapter's
 * {@link io.clink.api.broker.LocalBroker#attach} and {@code detach} delegate here, and each broker callback reads
 * {@link #current()} once per event and drops the event while it is null.
 *
 * <p>At most one engine is attached. The reference is volatile and swapped whole, so a callback sees either the whole
 * old engine or the whole new one, never a mix.
 *
 * <p>Not final only so that an adapter may give it a name in its own package; every method is final.
 *
 * @since 0.1.0
 */
public class HooksHolder {

    private volatile @Nullable ClusterLinkHooks hooks;

    /** Creates a holder with nothing attached. */
    public HooksHolder() {}

    /**
     * Starts passing events to {@code hooks}, replacing any engine attached before.
     *
     * <p>Thread: any (clink calls it on the thread its engine starts on). Blocking: never.
     *
     * @param hooks the engine's hooks, not null
     * @throws NullPointerException if {@code hooks} is null, with nothing changed
     * @since 0.1.0
     */
    public final void attach(ClusterLinkHooks hooks) {
        this.hooks = Objects.requireNonNull(hooks, "hooks");
    }

    /**
     * Stops passing events on; calling it with nothing attached does nothing.
     *
     * <p>Thread: any (clink calls it on the thread its engine stops on). Blocking: never. Exceptions: none.
     *
     * @since 0.1.0
     */
    public final void detach() {
        this.hooks = null;
    }

    /**
     * The attached hooks. Read it once per event and use that value for the whole event.
     *
     * <p>Thread: any broker thread, concurrently. Blocking: never. Exceptions: none.
     *
     * @return the attached hooks, or null while no engine is attached
     * @since 0.1.0
     */
    public final @Nullable ClusterLinkHooks current() {
        return hooks;
    }
}
