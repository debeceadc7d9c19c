package io.clink.testkit.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.api.transport.LinkClient;
import io.clink.api.transport.LinkClientOptions;
import io.clink.testkit.FakeLocalBroker;
import io.clink.testkit.InMemoryLinkNetwork;
import io.clink.testkit.InMemoryTransport;
import io.clink.testkit.ManualTime;
import io.clink.testkit.RecordingHooks;
import org.junit.jupiter.api.Test;

class EmbeddedBrokerHarnessTest {

    private final FakeLocalBroker adapter = new FakeLocalBroker();
    private final InMemoryTransport transport = new InMemoryLinkNetwork(ManualTime.create()).newTransport();
    private final EmbeddedBrokerHarness harness = new EmbeddedBrokerHarness(
            () -> new EmbeddedBrokerHarness.Broker(adapter, "127.0.0.1", 1883, 11883), transport, false);

    @Test
    void start_attachesTheHooksAndReturnsTheAdapter() throws Exception {
        RecordingHooks hooks = new RecordingHooks();

        assertThat(harness.start(hooks)).isSameAs(adapter);
        assertThat(adapter.hooks()).containsSame(hooks);
    }

    @Test
    void close_afterStart_detachesAndClosesTheTestsLinkClients() throws Exception {
        harness.start(new RecordingHooks());
        harness.newLinkClient("clink-a:routesync:1");

        harness.close();

        assertThat(adapter.hooks()).isEmpty();
        assertThat(transport.openClients()).isZero();
    }

    @Test
    void newLinkClient_connectsToTheLinkListenerWithCleanStart() throws Exception {
        harness.start(new RecordingHooks());

        LinkClient client = harness.newLinkClient("clink-a:msg:1:0");

        assertThat(client).isNotNull();
        LinkClientOptions options = transport.clientOptions().get(0);
        assertThat(options.host()).isEqualTo("127.0.0.1");
        assertThat(options.port()).isEqualTo(11883);
        assertThat(options.clientId()).isEqualTo("clink-a:msg:1:0");
        assertThat(options.cleanStart()).isTrue();
    }

    @Test
    void newLinkClient_beforeStart_throwsNamingTheMissingCall() {
        assertThatThrownBy(() -> harness.newLinkClient("c"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("start(hooks)");
    }

    @Test
    void supportsQueueSubscriptions_asGiven() {
        assertThat(harness.supportsQueueSubscriptions()).isFalse();
    }
}
