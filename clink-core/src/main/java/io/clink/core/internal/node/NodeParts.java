package io.clink.core.internal.node;

import io.clink.api.broker.LocalBroker;
import io.clink.api.time.Scheduler;
import io.clink.api.transport.LinkTransport;
import io.clink.core.internal.engine.CounterRegistry;
import io.clink.core.internal.engine.LiveConfig;
import io.clink.core.internal.receiver.RouteReceiver;
import java.util.concurrent.ExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * The wired parts of one node's cluster link, as {@link NodeAssembler#assemble} hands them to the {@code ClusterLink}
 * facade, which owns their lifecycle from then on. Nothing in it is started.
 *
 * @param config the configuration in force, shared by every part
 * @param nodeName this broker node's name
 * @param transport the outbound link transport, kept to validate new configurations
 * @param broker the broker adapter the hooks attach to
 * @param ownedExecutor the pool the assembler created for link work, to shut down on close; null if the user gave one
 * @param counters per-link counters
 * @param routeReceiver the receiver of remote routes
 * @param listeners the actor-state listeners
 * @param links the supervisor of the running links
 * @param resync the periodic subscription resync
 * @param hooks what the broker calls
 * @param scheduler the engine's timer scheduler
 */
public record NodeParts(
        LiveConfig config,
        String nodeName,
        LinkTransport transport,
        LocalBroker broker,
        @Nullable ExecutorService ownedExecutor,
        CounterRegistry counters,
        RouteReceiver routeReceiver,
        StateListeners listeners,
        LinkSupervisor links,
        SubscriptionResync resync,
        HookDispatcher hooks,
        Scheduler scheduler) {}
