package io.clink.hivemq;

import io.clink.paho.PahoLinkTransport;
import io.clink.testkit.JvmShared;
import io.clink.testkit.LocalBrokerContract;
import io.clink.testkit.LocalBrokerHarness;
import io.clink.testkit.mqtt.EmbeddedBrokerHarness;
import java.nio.file.Files;

/**
 * clink-testkit's {@code LocalBroker} contract suite against {@link HiveMqLocalBroker} in an embedded HiveMQ CE. One
 * broker serves every test (starting one takes seconds); each test attaches the suite's hooks and uses its own
 * {@code contract-} client ids.
 *
 * <p>The suite's spy on {@code $LINK/#} connects on the link listener: the adapter refuses that subscription (0x87)
 * everywhere else, by design, so that ordinary clients never see link traffic.
 */
class HiveMqContractIT extends LocalBrokerContract {

    private static final JvmShared<EmbeddedHiveMq> HIVEMQ = new JvmShared<>(() -> new EmbeddedHiveMq(
            Files.createTempDirectory("clink-hivemq-contract"), (broker, context) -> broker::detach));
    private static final PahoLinkTransport TRANSPORT = new PahoLinkTransport();

    @Override
    protected LocalBrokerHarness createHarness() {
        // $queue/ is EMQX's; HiveMQ treats it as an ordinary topic filter.
        return new EmbeddedBrokerHarness(
                () -> {
                    EmbeddedHiveMq h = HIVEMQ.get();
                    return new EmbeddedBrokerHarness.Broker(h.broker(), "127.0.0.1", h.mqttPort, h.linkPort);
                },
                TRANSPORT,
                false);
    }
}
