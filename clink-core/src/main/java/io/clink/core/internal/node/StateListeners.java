package io.clink.core.internal.node;

import io.clink.api.link.ActorStateChange;
import io.clink.api.link.ActorStateListener;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's {@link ActorStateListener}s, told of every link's actor state changes.
 *
 * <p>Invariant: a listener that throws is logged and skipped; it never reaches the actor that reported the change,
 * nor keeps the other listeners from hearing it.
 *
 * <p>Threading: {@link #add} from any thread; {@link #accept} on the reporting actor's serial executor, each change
 * to every listener in registration order.
 */
public final class StateListeners implements Consumer<ActorStateChange> {

    private static final Logger LOG = LoggerFactory.getLogger(StateListeners.class);

    private final List<ActorStateListener> listeners = new CopyOnWriteArrayList<>();

    /** Registers a listener for every later change. */
    public void add(ActorStateListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void accept(ActorStateChange change) {
        for (ActorStateListener l : listeners) {
            try {
                l.onStateChange(change);
            } catch (RuntimeException e) {
                LOG.warn("[{}] state listener threw; ignored", change.linkName(), e);
            }
        }
    }
}
