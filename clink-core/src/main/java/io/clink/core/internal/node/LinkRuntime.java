package io.clink.core.internal.node;

import io.clink.api.broker.MqttMessage;
import io.clink.api.config.LinkConfig;
import io.clink.api.link.LinkStatus;
import io.clink.core.internal.forward.Forwarder;
import io.clink.core.internal.link.LocalRoutes;
import io.clink.core.internal.sender.ActorSender;
import java.util.List;
import java.util.Objects;

/**
 * The production {@link RunningLink}: the link's route actor ({@link ActorSender}) and its forwarding pool ({@link
 * Forwarder}).
 *
 * <p>Invariant: the actor is a listener of the node's {@link LocalRoutes} exactly between {@link #start()} and {@link
 * #stop()}, so local route changes reach it directly and stop reaching it when the link stops.
 *
 * <p>Threading: see {@link RunningLink}; the actor and the pool run on their own serial executors.
 */
public final class LinkRuntime implements RunningLink {

    private final LinkConfig config;
    private final LocalRoutes localRoutes;
    private final ActorSender sender;
    private final Forwarder forwarder;
    private final long sinceMillis;

    /**
     * Builds a stopped link from its two parts ({@link LinkRuntimeFactory} makes them).
     *
     * @param config the link's configuration
     * @param localRoutes the node's local routes, which the actor replicates
     * @param sender the link's route actor, stopped
     * @param forwarder the link's forwarding pool, not started
     * @param sinceMillis wall-clock time the link was made, reported by {@link #status()}
     */
    public LinkRuntime(
            LinkConfig config, LocalRoutes localRoutes, ActorSender sender, Forwarder forwarder, long sinceMillis) {
        this.config = Objects.requireNonNull(config, "config");
        this.localRoutes = Objects.requireNonNull(localRoutes, "localRoutes");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.forwarder = Objects.requireNonNull(forwarder, "forwarder");
        this.sinceMillis = sinceMillis;
    }

    @Override
    public LinkConfig config() {
        return config;
    }

    @Override
    public void start() {
        localRoutes.addListener(sender);
        forwarder.start();
        sender.start();
    }

    @Override
    public void stop() {
        localRoutes.removeListener(sender);
        sender.stop();
        forwarder.stop();
    }

    @Override
    public void forward(MqttMessage message) {
        forwarder.forward(message);
    }

    @Override
    public LinkStatus status() {
        return new LinkStatus(
                config.name(),
                true,
                List.of(sender.status()),
                forwarder.status(),
                forwarder.lastDisconnectReason().orElse(null),
                sinceMillis,
                forwarder.endpointsInUse());
    }
}
