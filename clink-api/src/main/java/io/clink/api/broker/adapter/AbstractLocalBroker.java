package io.clink.api.broker.adapter;

import io.clink.api.broker.ClusterLinkHooks;
import io.clink.api.broker.LocalBroker;
import java.util.Objects;

/**
 * A base for {@link LocalBroker} adapters whose broker callbacks read the attached hooks from a {@link HooksHolder}:
 * {@link #attach} and {@link #detach} go to that holder, so an adapter implements only what is specific to its broker
 * ({@link #forEachSubscription}, {@link #deliver}, {@link #disconnect}, and {@link #reply} where it can do better).
 *
 * <p>The adapter creates the holder, passes it here and to its callbacks; it may be a subclass of {@link HooksHolder}
 * that the adapter names in its own package.
 *
 * @since 0.1.0
 */
public abstract class AbstractLocalBroker implements LocalBroker {

    private final HooksHolder hooks;

    /**
     * Thread: any. Blocking: never.
     *
     * @param hooks the holder the adapter's broker callbacks read, not null
     * @throws NullPointerException if {@code hooks} is null
     * @since 0.1.0
     */
    protected AbstractLocalBroker(HooksHolder hooks) {
        this.hooks = Objects.requireNonNull(hooks, "hooks");
    }

    /**
     * The holder given at construction, for the adapter to hand to its broker callbacks.
     *
     * <p>Thread: any. Blocking: never. Exceptions: none.
     *
     * @return the holder, not null
     * @since 0.1.0
     */
    protected final HooksHolder hooks() {
        return hooks;
    }

    /**
     * {@inheritDoc} Starts passing the broker's events to {@code hooks}; may be called again after {@link #detach()}.
     *
     * <p>Thread: any. Blocking: never. Exceptions: {@link NullPointerException} for a null {@code hooks}, with
     * nothing changed.
     */
    @Override
    public final void attach(ClusterLinkHooks hooks) {
        this.hooks.attach(hooks);
    }

    /**
     * {@inheritDoc} Events that arrive afterwards are dropped.
     *
     * <p>Thread: any. Blocking: never. Exceptions: none.
     */
    @Override
    public final void detach() {
        this.hooks.detach();
    }
}
