package io.clink.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListenerQueueTest {

    private final List<String> seen = new ArrayList<>();
    private final List<Object> failures = new ArrayList<>();

    private final RouteStore.Listener listener = new RouteStore.Listener() {
        @Override
        public void onEvent(RouteEvent event) {
            if (event instanceof RouteEvent.LaneAdded a && a.route().filter().equals("boom")) {
                throw new IllegalStateException("listener bug");
            }
            seen.add(event instanceof RouteEvent.LaneAdded a ? "+" + a.route().filter() : event.toString());
        }

        @Override
        public void onSnapshotComplete() {
            seen.add("snapshot complete");
        }
    };

    private static RouteEvent added(String filter) {
        return new RouteEvent.LaneAdded(new RouteKey("eu", filter, filter.getBytes(StandardCharsets.UTF_8)), 0);
    }

    @Test
    void releaseAfter_eventsQueuedWhileHeld_deliveredAfterTheSnapshot() {
        ListenerQueue q = new ListenerQueue(listener, (e, ex) -> failures.add(e), true);
        q.add(added("live"));
        q.drain();
        assertThat(seen).as("a held queue delivers nothing").isEmpty();

        q.releaseAfter(List.of(added("snap")));

        assertThat(seen).containsExactly("+snap", "snapshot complete", "+live");
        assertThatThrownBy(() -> q.releaseAfter(List.of())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void drain_listenerThrows_reportedAndDeliveryGoesOn() {
        ListenerQueue q = new ListenerQueue(listener, (e, ex) -> failures.add(e), false);
        q.addAll(List.of(added("a"), added("boom"), added("b")));
        q.addSnapshotComplete();

        q.drain();

        assertThat(seen).containsExactly("+a", "+b", "snapshot complete");
        assertThat(failures).containsExactly(added("boom"));
    }

    @Test
    void close_queuedEventsDropped_laterOnesIgnored() {
        ListenerQueue q = new ListenerQueue(listener, (e, ex) -> failures.add(e), false);
        q.add(added("a"));

        q.close();
        q.add(added("b"));
        q.drain();

        assertThat(seen).isEmpty();
        assertThat(q.isClosed()).isTrue();
    }
}
