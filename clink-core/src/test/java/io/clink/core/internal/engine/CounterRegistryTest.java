package io.clink.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.config.LinkConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class CounterRegistryTest {

    private static ClusterLinkConfig config(String... links) {
        ClusterLinkConfig.Builder b = ClusterLinkConfig.builder().name("local");
        for (String link : links) {
            b.link(LinkConfig.builder()
                    .name(link)
                    .server(link + ".example:1883")
                    .topics("#")
                    .build());
        }
        return b.build();
    }

    private final LiveConfig live = new LiveConfig(config("eu"));
    private final CounterRegistry registry = new CounterRegistry(live);

    @Test
    void countersOf_configuredLink_returnsThatLinksCounters() {
        assertThat(registry.countersOf("eu")).isSameAs(registry.counters("eu"));
        assertThat(registry.countersOf("eu")).isNotSameAs(registry.unlinkedCounters());
    }

    @Test
    void countersOf_clusterWithoutLink_returnsTheSharedUnlinkedBucket() {
        assertThat(registry.countersOf("stranger")).isSameAs(registry.unlinkedCounters());
        assertThat(registry.countersOf("other")).isSameAs(registry.unlinkedCounters());
    }

    @Test
    void countersOf_afterConfigChange_followsTheLiveConfig() {
        LinkCounters eu = registry.countersOf("eu");
        live.set(config("ap"));

        assertThat(registry.countersOf("eu")).isSameAs(registry.unlinkedCounters());
        assertThat(registry.countersOf("ap")).isSameAs(registry.counters("ap"));
        // A link's counters outlive its removal, as EMQX's do until restart.
        live.set(config("eu", "ap"));
        assertThat(registry.countersOf("eu")).isSameAs(eu);
    }

    @Test
    void liveConfig_set_isSeenByTheNextGet() {
        ClusterLinkConfig next = config("ap");
        live.set(next);

        assertThat(live.get()).isSameAs(next);
        assertThat(live.get().links()).extracting(LinkConfig::name).isEqualTo(List.of("ap"));
    }
}
