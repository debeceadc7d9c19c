package io.clink.core.internal.node;

import io.clink.api.broker.MqttMessage;
import io.clink.api.config.LinkConfig;
import io.clink.api.link.LinkStatus;

/**
 * One enabled link's running parts as {@link LinkSupervisor} sees them: made for one configuration, started once,
 * stopped once. A changed configuration makes a new one.
 *
 * <p>Thread: every method may be called from any thread. Blocking: none of them blocks on the network. Null policy:
 * no argument or result is null. Exceptions: {@link #start()} may throw if the link cannot start (the supervisor logs
 * it and keeps the link, which retries on its own); the others do not throw.
 */
public interface RunningLink {

    /** The configuration this link runs with. */
    LinkConfig config();

    /** Starts replicating routes and opens the forwarding connections; returns at once. */
    void start();

    /** Stops for good: no more route changes reach it, its connections close. */
    void stop();

    /** Hands a local publish to the link's forwarding pool. Called on publisher threads: must be cheap. */
    void forward(MqttMessage message);

    /** The link's current status. */
    LinkStatus status();
}
