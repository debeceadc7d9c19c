package io.clink.core.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.LocalBroker;
import io.clink.api.broker.LocalSubscription;
import io.clink.api.broker.MqttMessage;
import io.clink.api.time.Cancellable;
import io.clink.api.time.Scheduler;
import io.clink.api.topic.Subscription;
import io.clink.core.internal.engine.GuardedBroker;
import io.clink.core.internal.link.LocalRoutes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SubscriptionResyncTest {

    private static final Duration INTERVAL = Duration.ofSeconds(60);

    /** A timer the test fires by hand. */
    private static final class Timer implements Cancellable {
        final Runnable task;
        final Duration delay;
        boolean cancelled;

        Timer(Runnable task, Duration delay) {
            this.task = task;
            this.delay = delay;
        }

        @Override
        public boolean cancel() {
            boolean first = !cancelled;
            cancelled = true;
            return first;
        }
    }

    private final List<LocalSubscription> brokerSubscriptions = new ArrayList<>();
    private boolean snapshotFails;
    private final LocalBroker broker = new LocalBroker() {
        @Override
        public void forEachSubscription(Consumer<? super LocalSubscription> action) {
            if (snapshotFails) {
                throw new IllegalStateException("snapshot unavailable");
            }
            brokerSubscriptions.forEach(action);
        }

        @Override
        public void deliver(MqttMessage message) {
            throw new UnsupportedOperationException("a resync delivers nothing");
        }

        @Override
        public void disconnect(LinkConnection connection, int reasonCode, String reasonString) {
            throw new UnsupportedOperationException("a resync disconnects nothing");
        }
    };
    private final List<Timer> timers = new ArrayList<>();
    private final Scheduler scheduler = (task, delay) -> {
        Timer t = new Timer(task, delay);
        timers.add(t);
        return t;
    };
    private final LocalRoutes routes = new LocalRoutes(true);
    private final SubscriptionResync resync =
            new SubscriptionResync(routes, new GuardedBroker(broker), "us", scheduler, Runnable::run, INTERVAL);

    private static Subscription sub(String s) {
        return Subscription.parse(s);
    }

    @Test
    void resyncNow_snapshot_addsItsRoutesAndIgnoresLinkTopicsAndInvalidFilters() {
        brokerSubscriptions.add(new LocalSubscription("c1", "t/#"));
        brokerSubscriptions.add(new LocalSubscription("c1", "$LINK/cluster/resp/eu/actor"));
        brokerSubscriptions.add(new LocalSubscription("c2", "a/#/b"));
        brokerSubscriptions.add(new LocalSubscription("c2", "$share/g/x"));

        resync.resyncNow();

        assertThat(routes.routes()).containsExactlyInAnyOrder(sub("t/#"), sub("$share/g/x"));
    }

    @Test
    void resyncNow_sessionGoneWithoutEvents_routeRemoved() {
        routes.subscribe("c1", sub("t/#"));

        resync.resyncNow();

        assertThat(routes.routes()).isEmpty();
    }

    @Test
    void resyncNow_snapshotThrows_eventBuiltRoutesKept() {
        routes.subscribe("c1", sub("t/#"));
        snapshotFails = true;

        resync.resyncNow();

        assertThat(routes.routes()).containsExactly(sub("t/#"));
    }

    @Test
    void start_timerFires_passRunsAndNextPassArmed() {
        resync.start();
        assertThat(timers).hasSize(1);
        assertThat(timers.get(0).delay).isEqualTo(INTERVAL);
        brokerSubscriptions.add(new LocalSubscription("c1", "t/#"));

        timers.get(0).task.run();

        assertThat(routes.routes()).containsExactly(sub("t/#"));
        assertThat(timers).hasSize(2);
        assertThat(timers.get(1).delay).isEqualTo(INTERVAL);
    }

    @Test
    void start_twice_armsOneTimer() {
        resync.start();
        resync.start();

        assertThat(timers).hasSize(1);
    }

    @Test
    void stop_timerArmed_cancelsItAndALateFiringDoesNothing() {
        resync.start();
        brokerSubscriptions.add(new LocalSubscription("c1", "t/#"));

        resync.stop();
        timers.get(0).task.run();

        assertThat(timers.get(0).cancelled).isTrue();
        assertThat(routes.routes()).isEmpty();
        assertThat(timers).hasSize(1);
    }

    @Test
    void start_afterStop_armsNothing() {
        resync.stop();
        resync.start();

        assertThat(timers).isEmpty();
    }
}
