package io.clink.core.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.api.broker.MqttMessage;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.config.LinkConfig;
import io.clink.api.link.LinkStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkSupervisorTest {

    /** Records what the supervisor does to its links, in order: "start eu#1", "stop eu#1", "unlink eu". */
    private final List<String> log = new ArrayList<>();

    private final List<FakeLink> made = new ArrayList<>();
    private long now = 1_000;
    private boolean failStarts;
    private final LinkSupervisor supervisor =
            new LinkSupervisor(this::make, cluster -> log.add("unlink " + cluster), () -> now);

    private final class FakeLink implements RunningLink {
        final LinkConfig config;
        final int number;

        FakeLink(LinkConfig config, int number) {
            this.config = config;
            this.number = number;
        }

        @Override
        public LinkConfig config() {
            return config;
        }

        @Override
        public void start() {
            log.add("start " + this);
            if (failStarts) {
                throw new IllegalStateException("cannot start " + this);
            }
        }

        @Override
        public void stop() {
            log.add("stop " + this);
        }

        @Override
        public void forward(MqttMessage message) {
            log.add("forward " + this);
        }

        @Override
        public LinkStatus status() {
            return LinkStatus.disabled("running-" + this, number);
        }

        @Override
        public String toString() {
            return config.name() + "#" + number;
        }
    }

    private RunningLink make(LinkConfig config) {
        FakeLink link = new FakeLink(config, made.size() + 1);
        made.add(link);
        return link;
    }

    private static LinkConfig link(String name, boolean enable, String... topics) {
        return LinkConfig.builder()
                .name(name)
                .server(name + ".example:1883")
                .topics(topics)
                .enable(enable)
                .build();
    }

    private static ClusterLinkConfig config(LinkConfig... links) {
        return ClusterLinkConfig.builder().name("us").links(List.of(links)).build();
    }

    @Test
    void start_enabledAndDisabled_startsOnlyEnabledAndRecordsDisabledSince() {
        supervisor.start(config(link("eu", true, "t/#"), link("ap", false, "t/#")));

        assertThat(log).containsExactly("start eu#1");
        assertThat(supervisor.running("eu")).isSameAs(made.get(0));
        assertThat(supervisor.running("ap")).isNull();
        assertThat(supervisor.runningCount()).isEqualTo(1);
        assertThat(supervisor.status("ap")).isEqualTo(LinkStatus.disabled("ap", 1_000));
        assertThat(supervisor.status("eu").linkName()).isEqualTo("running-eu#1");
    }

    @Test
    void start_twice_refused() {
        supervisor.start(config(link("eu", true, "t/#")));

        assertThatThrownBy(() -> supervisor.start(config()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already started");
    }

    @Test
    void apply_beforeStart_refused() {
        assertThatThrownBy(() -> supervisor.apply(config()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not started");
    }

    @Test
    void apply_sameConfig_touchesNoRunningLink() {
        ClusterLinkConfig config = config(link("eu", true, "t/#"));
        supervisor.start(config);
        log.clear();

        supervisor.apply(config(link("eu", true, "t/#")));

        assertThat(log).isEmpty();
        assertThat(supervisor.running("eu")).isSameAs(made.get(0));
    }

    @Test
    void apply_linkAdded_startsIt() {
        supervisor.start(config(link("eu", true, "t/#")));
        log.clear();

        supervisor.apply(config(link("eu", true, "t/#"), link("ap", true, "a/#")));

        assertThat(log).containsExactly("start ap#2");
        assertThat(supervisor.running("ap")).isSameAs(made.get(1));
    }

    @Test
    void apply_linkRemoved_stopsItAndUnlinksItsCluster() {
        supervisor.start(config(link("eu", true, "t/#"), link("ap", true, "a/#")));
        log.clear();

        supervisor.apply(config(link("eu", true, "t/#")));

        // Once as the running link that went away, once as a link of the old configuration no longer wanted.
        assertThat(log).containsExactly("stop ap#2", "unlink ap", "unlink ap");
        assertThat(supervisor.running("ap")).isNull();
        assertThat(supervisor.running("eu")).isSameAs(made.get(0));
    }

    @Test
    void apply_linkChanged_restartsItWithTheNewConfig() {
        supervisor.start(config(link("eu", true, "t/#")));
        log.clear();

        supervisor.apply(config(link("eu", true, "t/#", "u/#")));

        assertThat(log).containsExactly("stop eu#1", "start eu#2");
        assertThat(supervisor.running("eu").config().topics()).containsExactly("t/#", "u/#");
    }

    @Test
    void apply_linkDisabled_stopsItUnlinksItsClusterAndReportsDisabledSinceNow() {
        supervisor.start(config(link("eu", true, "t/#")));
        log.clear();
        now = 5_000;

        supervisor.apply(config(link("eu", false, "t/#")));

        assertThat(log).containsExactly("stop eu#1", "unlink eu", "unlink eu");
        assertThat(supervisor.running("eu")).isNull();
        assertThat(supervisor.anyRunning()).isFalse();
        assertThat(supervisor.status("eu")).isEqualTo(LinkStatus.disabled("eu", 5_000));
    }

    @Test
    void apply_staysDisabled_keepsTheTimeItWasDisabledAt() {
        supervisor.start(config(link("eu", false, "t/#")));
        now = 9_000;

        supervisor.apply(config(link("eu", false, "t/#", "u/#")));

        assertThat(supervisor.status("eu")).isEqualTo(LinkStatus.disabled("eu", 1_000));
        assertThat(log).containsExactly("unlink eu");
    }

    @Test
    void apply_linkEnabled_startsIt() {
        supervisor.start(config(link("eu", false, "t/#")));

        supervisor.apply(config(link("eu", true, "t/#")));

        assertThat(log).containsExactly("start eu#1");
        assertThat(supervisor.running("eu")).isSameAs(made.get(0));
    }

    @Test
    void apply_disabledLinkRemoved_forgetsWhenItWasDisabled() {
        supervisor.start(config(link("eu", false, "t/#")));
        now = 7_000;

        supervisor.apply(config());
        supervisor.apply(config(link("eu", false, "t/#")));

        assertThat(supervisor.status("eu")).isEqualTo(LinkStatus.disabled("eu", 7_000));
    }

    @Test
    void apply_startThrows_linkKeptAndOtherLinksStillStart() {
        supervisor.start(config());
        failStarts = true;

        supervisor.apply(config(link("eu", true, "t/#"), link("ap", true, "a/#")));

        assertThat(log).containsExactly("start eu#1", "start ap#2");
        assertThat(supervisor.running("eu")).isSameAs(made.get(0));
        assertThat(supervisor.running("ap")).isSameAs(made.get(1));
    }

    @Test
    void stopAll_running_stopsEachOnceAndRunsNone() {
        supervisor.start(config(link("eu", true, "t/#"), link("ap", true, "a/#")));
        log.clear();

        supervisor.stopAll();
        supervisor.stopAll();

        assertThat(log).containsExactlyInAnyOrder("stop eu#1", "stop ap#2");
        assertThat(supervisor.anyRunning()).isFalse();
    }

    @Test
    void status_beforeStart_disabledSinceZero() {
        assertThat(supervisor.status("eu")).isEqualTo(LinkStatus.disabled("eu", 0));
    }
}
