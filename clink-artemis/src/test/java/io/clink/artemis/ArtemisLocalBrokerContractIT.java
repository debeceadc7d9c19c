package io.clink.artemis;

import io.clink.paho.PahoLinkTransport;
import io.clink.testkit.JvmShared;
import io.clink.testkit.LocalBrokerContract;
import io.clink.testkit.LocalBrokerHarness;
import io.clink.testkit.mqtt.EmbeddedBrokerHarness;

/**
 * clink-testkit's {@code LocalBroker} contract suite against {@link ArtemisLocalBroker} in an embedded Artemis. One
 * server serves every test; each test attaches the suite's hooks and uses its own {@code contract-} client ids.
 *
 * <p>The suite's spy on {@code $LINK/#} connects on the link acceptor: the adapter refuses that subscription
 * everywhere else.
 */
class ArtemisLocalBrokerContractIT extends LocalBrokerContract {

    private static final JvmShared<EmbeddedArtemis> ARTEMIS = new JvmShared<>(EmbeddedArtemis::new);
    private static final PahoLinkTransport TRANSPORT = new PahoLinkTransport();

    @Override
    protected LocalBrokerHarness createHarness() {
        // $queue/ is EMQX's; Artemis treats it as an ordinary topic filter.
        return new EmbeddedBrokerHarness(
                () -> {
                    EmbeddedArtemis a = ARTEMIS.get();
                    return new EmbeddedBrokerHarness.Broker(a.broker, "127.0.0.1", a.mqttPort, a.linkPort);
                },
                TRANSPORT,
                false);
    }
}
