package io.clink.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.link.ActorState;
import io.clink.api.link.ActorStatus;
import io.clink.api.link.ForwardingStatus;
import io.clink.api.link.LinkMetrics;
import io.clink.api.link.LinkStatus;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LinkMetersTest {

    private static final LinkMeters.Sample SAMPLE = new LinkMeters.Sample(
            new LinkStatus(
                    "eu",
                    true,
                    List.of(
                            new ActorStatus("a", 1, ActorState.ONLINE, 1, null, null),
                            new ActorStatus("b", 1, ActorState.CONNECTING, 1, null, null)),
                    ForwardingStatus.CONNECTING,
                    null,
                    1),
            LinkMetrics.builder()
                    .routesSent(1)
                    .routesReceived(2)
                    .remoteRoutes(3)
                    .forwarded(4)
                    .failed(5)
                    .dropped(6)
                    .retried(7)
                    .bufferedMessages(8)
                    .bufferedBytes(9)
                    .build(),
            new LinkRate(1.5, 2.5, 0.5));

    @Test
    void all_namesAndTags_uniqueAndPrefixed() {
        Set<String> keys = new HashSet<>();
        for (LinkMeters.Meter m : LinkMeters.all()) {
            assertThat(m.name()).startsWith("clink.");
            assertThat(keys.add(m.name() + m.tags())).as(m.name() + m.tags()).isTrue();
        }
    }

    @Test
    void value_sample_readsTheMatchingField() {
        assertThat(value("clink.routes", Map.of())).isEqualTo(3);
        assertThat(value("clink.routes.sent", Map.of())).isEqualTo(1);
        assertThat(value("clink.routes.received", Map.of())).isEqualTo(2);
        assertThat(value("clink.forwarding.matched", Map.of())).isEqualTo(4 + 5 + 6 + 8);
        assertThat(value("clink.forwarding.success", Map.of())).isEqualTo(4);
        assertThat(value("clink.forwarding.failed", Map.of())).isEqualTo(5);
        assertThat(value("clink.forwarding.dropped", Map.of())).isEqualTo(6);
        assertThat(value("clink.forwarding.retried", Map.of())).isEqualTo(7);
        assertThat(value("clink.forwarding.queuing", Map.of())).isEqualTo(8);
        assertThat(value("clink.forwarding.queuing.size", Map.of())).isEqualTo(9);
        assertThat(value("clink.forwarding.rate", Map.of())).isEqualTo(1.5);
        assertThat(value("clink.forwarding.rate.max", Map.of())).isEqualTo(2.5);
        assertThat(value("clink.forwarding.rate.last5m", Map.of())).isEqualTo(0.5);
        assertThat(value("clink.forwarding.connected", Map.of())).isZero();
        assertThat(value("clink.link.enabled", Map.of())).isEqualTo(1);
        assertThat(value("clink.route.actor.state", Map.of(LinkMeters.TAG_STATE, "online")))
                .isEqualTo(1);
        assertThat(value("clink.route.actor.state", Map.of(LinkMeters.TAG_STATE, "connecting")))
                .isEqualTo(1);
        assertThat(value("clink.route.actor.state", Map.of(LinkMeters.TAG_STATE, "stopped")))
                .isZero();
    }

    private static double value(String name, Map<String, String> tags) {
        return LinkMeters.all().stream()
                .filter(m -> m.name().equals(name) && m.tags().equals(tags))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no meter " + name + tags))
                .value()
                .applyAsDouble(SAMPLE);
    }
}
