package io.clink.core.internal.node;

import io.clink.api.link.LinkStateChange;
import io.clink.api.link.LinkStateListener;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's {@link LinkStateListener}s, told of every link's actor state changes.
 *
 * <p>Invariant: a listener that throws is logged and skipped; it never reaches the actor that reported the change,
 * nor keeps the other listeners from hearing it.
 *
 * <p>Threading: {@link #add} from any thread; {@link #accept} on the reporting actor's serial executor, each change
 * to every listener in registration order.
 */
public final class StateListeners implements Consumer<LinkStateChange> {

    private static final Logger LOG = LoggerFactory.getLogger(StateListeners.class);

    private final List<LinkStateListener> listeners = new CopyOnWriteArrayList<>();

    /** Registers a listener for every later change. */
    public void add(LinkStateListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void accept(LinkStateChange change) {
        for (LinkStateListener l : listeners) {
            try {
                l.onStateChange(change);
            } catch (RuntimeException e) {
                LOG.warn("[{}] state listener threw; ignored", change.linkName(), e);
            }
        }
    }
}
