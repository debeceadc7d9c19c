package io.clink.api.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.api.topic.InvalidTopicException;
import io.clink.api.topic.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class BrokerSpiTest {

    /** The smallest possible adapter: only the three abstract methods. */
    private static final class RecordingBroker implements LocalBroker {
        final List<MqttMessage> delivered = new ArrayList<>();
        final List<String> disconnects = new ArrayList<>();

        @Override
        public void forEachSubscription(Consumer<? super LocalSubscription> action) {
            action.accept(new LocalSubscription("c1", "a/#"));
            action.accept(new LocalSubscription("c2", "$share/g/b/+"));
        }

        @Override
        public void deliver(MqttMessage message) {
            delivered.add(message);
        }

        @Override
        public void disconnect(LinkConnection connection, int reasonCode, String reasonString) {
            disconnects.add(connection.connectionId() + ":" + reasonCode + ":" + reasonString);
        }
    }

    @Test
    void reply_default_deliversTheReply() {
        RecordingBroker broker = new RecordingBroker();
        MqttMessage reply = MqttMessage.builder()
                .topic("$LINK/cluster/resp/A/clink@n1")
                .qos(1)
                .timestampMillis(1)
                .properties(PublishProperties.builder()
                        .correlationData(new byte[] {1})
                        .build())
                .build();
        broker.reply(LinkConnection.of("7", "A:routesync:abcd1234"), reply);
        assertThat(broker.delivered).containsExactly(reply);
    }

    @Test
    void attachAndDetach_defaults_doNothingObservable() {
        RecordingBroker broker = new RecordingBroker();
        broker.attach(new NoHooks());
        broker.detach();
        assertThat(broker.delivered).isEmpty();
        assertThat(broker.disconnects).isEmpty();
    }

    @Test
    void forEachSubscription_adapter_reportsRawStrings() {
        List<LocalSubscription> seen = new ArrayList<>();
        new RecordingBroker().forEachSubscription(seen::add);
        assertThat(seen)
                .containsExactly(new LocalSubscription("c1", "a/#"), new LocalSubscription("c2", "$share/g/b/+"));
    }

    @Test
    void localSubscription_emptyFields_areRejectedWithContext() {
        assertThatThrownBy(() -> new LocalSubscription("", "a"))
                .hasMessage("clientId must not be empty (subscription 'a')");
        assertThatThrownBy(() -> new LocalSubscription("c", ""))
                .hasMessage("subscription must not be empty (client 'c')");
    }

    @Test
    void parse_sharedSubscription_givesFilterGroupAndRouteId() {
        Subscription s = new LocalSubscription("c2", "$share/g/b/+").parse();
        assertThat(s.filter().value()).isEqualTo("b/+");
        assertThat(s.group()).contains("g");
        assertThat(s.routeId()).isEqualTo("$s/g/b/+");
        assertThat(new LocalSubscription("c1", "a/#").parse().routeId()).isEqualTo("a/#");
    }

    @Test
    void parse_invalidSubscription_throwsNamingIt() {
        assertThatThrownBy(() -> new LocalSubscription("c", "a/#/b").parse())
                .isInstanceOf(InvalidTopicException.class)
                .hasMessageContaining("a/#/b");
    }

    @Test
    void linkConnection_equalFields_areEqualKeys() {
        LinkConnection a = new LinkConnection("42", "B:routesync:1", "link-b", "10.0.0.2", "clink");
        LinkConnection b = new LinkConnection("42", "B:routesync:1", "link-b", "10.0.0.2", "clink");
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(new LinkConnection("43", "B:routesync:1", "link-b", "10.0.0.2", "clink"));
        assertThat(a.usernameIfAny()).contains("link-b");
        assertThat(a.listenerIfAny()).contains("clink");
        assertThat(LinkConnection.of("1", "c").usernameIfAny()).isEmpty();
    }

    @Test
    void linkConnection_emptyIds_areRejected() {
        assertThatThrownBy(() -> LinkConnection.of("", "c")).hasMessage("connectionId must not be empty");
        assertThatThrownBy(() -> LinkConnection.of("1", "")).hasMessage("clientId must not be empty (connection 1)");
    }

    @Test
    void isLinkTopic_prefix_isExact() {
        assertThat(ClusterLinkHooks.isLinkTopic("$LINK/cluster/route/B")).isTrue();
        assertThat(ClusterLinkHooks.isLinkTopic("$LINK/")).isTrue();
        assertThat(ClusterLinkHooks.isLinkTopic("$LINK")).isFalse();
        assertThat(ClusterLinkHooks.isLinkTopic("$link/cluster/route/B")).isFalse();
        assertThat(ClusterLinkHooks.isLinkTopic("a/$LINK/b")).isFalse();
    }

    @Test
    void reasonCodes_success_isBelow0x80() {
        assertThat(ReasonCodes.isSuccess(ReasonCodes.SUCCESS)).isTrue();
        assertThat(ReasonCodes.isSuccess(ReasonCodes.NO_MATCHING_SUBSCRIBERS)).isTrue();
        assertThat(ReasonCodes.isSuccess(ReasonCodes.UNSPECIFIED_ERROR)).isFalse();
        assertThat(ReasonCodes.isSuccess(ReasonCodes.IMPLEMENTATION_SPECIFIC_ERROR))
                .isFalse();
        assertThat(ReasonCodes.isSuccess(ReasonCodes.NOT_AUTHORIZED)).isFalse();
        assertThat(ReasonCodes.isSuccess(-1)).isFalse();
    }

    /** A stand-in for the engine's hooks; only passed around, never called here. */
    private static final class NoHooks implements ClusterLinkHooks {
        @Override
        public void onSubscribe(String clientId, String subscription) {}

        @Override
        public void onUnsubscribe(String clientId, String subscription) {}

        @Override
        public void onSessionEnd(String clientId) {}

        @Override
        public void onPublish(MqttMessage message) {}

        @Override
        public int onLinkPublish(
                LinkConnection connection, String topic, byte[] payload, PublishProperties properties) {
            return ReasonCodes.NO_MATCHING_SUBSCRIBERS;
        }

        @Override
        public void onConnectionClosed(LinkConnection connection) {}
    }
}
