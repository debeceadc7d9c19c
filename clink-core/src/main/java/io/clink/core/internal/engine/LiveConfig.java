package io.clink.core.internal.engine;

import io.clink.api.config.ClusterLinkConfig;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The configuration in force, replaced as a whole when {@code ClusterLink.updateConfig} runs. Components that must
 * follow a change at once (the receivers check each inbound message against the link's <em>current</em> topics and
 * enable flag) take it as a {@code Supplier<ClusterLinkConfig>} and read it on every use; only {@code ClusterLink}
 * sets it.
 *
 * <p>Thread-safety: a volatile immutable snapshot; {@link #get()} never blocks, from any thread.
 */
public final class LiveConfig implements Supplier<ClusterLinkConfig> {

    private volatile ClusterLinkConfig current;

    /**
     * @param initial the configuration in force until the first {@link #set}
     */
    public LiveConfig(ClusterLinkConfig initial) {
        this.current = Objects.requireNonNull(initial, "initial");
    }

    /** The configuration in force now; never null. */
    @Override
    public ClusterLinkConfig get() {
        return current;
    }

    /**
     * Puts {@code next} in force; readers see it on their next {@link #get()}.
     *
     * @throws NullPointerException if {@code next} is null
     */
    public void set(ClusterLinkConfig next) {
        this.current = Objects.requireNonNull(next, "next");
    }
}
