package io.clink.hivemq.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.clink.api.link.ActorState;
import io.clink.api.link.ActorStatus;
import io.clink.api.link.ForwardingStatus;
import io.clink.api.link.LinkMetrics;
import io.clink.api.link.LinkStatus;
import io.clink.core.LinkMeters;
import io.clink.core.LinkRate;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DropwizardLinkMetersTest {

    private final MetricRegistry registry = new MetricRegistry();
    private final Set<String> links = new LinkedHashSet<>(Set.of("eu"));
    private final Map<String, LinkMeters.Sample> samples = new HashMap<>();
    private final DropwizardLinkMeters meters =
            new DropwizardLinkMeters(registry, () -> Set.copyOf(links), name -> Optional.ofNullable(samples.get(name)));

    private static LinkMeters.Sample sample(long forwarded) {
        LinkStatus status = new LinkStatus(
                "eu",
                true,
                List.of(new ActorStatus("clink@h", 1, ActorState.ONLINE, 1, null, null)),
                ForwardingStatus.CONNECTED,
                null,
                1);
        return new LinkMeters.Sample(
                status, LinkMetrics.builder().forwarded(forwarded).build(), new LinkRate(2.5, 3, 1));
    }

    @Test
    void sync_link_registersEveryMeterReadingTheCurrentSample() {
        samples.put("eu", sample(3));
        meters.sync();

        assertThat(registry.getGauges().keySet())
                .hasSize(LinkMeters.all().size())
                .allMatch(n -> n.startsWith("clink.link.eu."));
        assertThat(value("clink.link.eu.forwarding.success")).isEqualTo(3.0);
        assertThat(value("clink.link.eu.route.actor.state.online")).isEqualTo(1.0);
        assertThat(value("clink.link.eu.route.actor.state.stopped")).isEqualTo(0.0);
        assertThat(value("clink.link.eu.forwarding.rate")).isEqualTo(2.5);
        assertThat(value("clink.link.eu.forwarding.connected")).isEqualTo(1.0);

        samples.put("eu", sample(7));
        assertThat(value("clink.link.eu.forwarding.success")).as("values move").isEqualTo(7.0);
    }

    @Test
    void sync_linkRemovedThenAdded_meterSetFollows() {
        samples.put("eu", sample(1));
        meters.sync();
        links.clear();
        links.add("ap");
        meters.sync();

        assertThat(registry.getGauges().keySet()).allMatch(n -> n.startsWith("clink.link.ap."));
        assertThat(value("clink.link.ap.forwarding.success"))
                .as("no sample yet")
                .isEqualTo(0.0);
    }

    @Test
    void close_removesEveryMeter() {
        meters.sync();
        meters.close();

        assertThat(registry.getMetrics()).isEmpty();
    }

    private double value(String name) {
        Gauge<?> g = registry.getGauges().get(name);
        assertThat(g).as(name).isNotNull();
        return ((Number) g.getValue()).doubleValue();
    }
}
