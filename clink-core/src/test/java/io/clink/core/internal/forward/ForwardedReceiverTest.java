package io.clink.core.internal.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import io.clink.api.config.LinkConfig;
import io.clink.core.internal.engine.LinkCounters;
import io.clink.core.internal.etf.ErlAtom;
import io.clink.core.internal.etf.ErlBinary;
import io.clink.core.internal.etf.ErlInteger;
import io.clink.core.internal.etf.ErlMap;
import io.clink.core.internal.etf.ErlTuple;
import io.clink.core.internal.etf.EtfEncoder;
import io.clink.core.internal.etf.GoldenVectors;
import io.clink.core.internal.etf.Term;
import io.clink.core.internal.protocol.EmqxAtoms;
import io.clink.core.internal.protocol.ForwardedMessage;
import io.clink.testkit.ManualTime;
import io.clink.testkit.RecordingBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The receiving half: what a forwarded message becomes, and what is filtered (scenario 19's filtering half). */
class ForwardedReceiverTest {
    private static final String LOCAL = "cluster-b";
    private static final String SENDER = "cluster-a";
    private static final LinkConnection CONN = LinkConnection.of("conn-1", "cluster-a:msg:12345678:1");

    private final ManualTime time = TestEngines.newTime();
    private final RecordingBroker broker = new RecordingBroker();
    private final TestEngines.Receiving engine = TestEngines.receiving(
            time,
            broker,
            TestEngines.config(
                    LOCAL, TestEngines.link(SENDER, "t/test-topic", "t/test/#").build()));
    private final ForwardedReceiver receiver = engine.receiver;
    private final LinkCounters counters = engine.counters.counters(SENDER);

    private static MqttMessage.Builder publish(String topic) {
        return MqttMessage.builder()
                .topic(topic)
                .payload("hi".getBytes(StandardCharsets.UTF_8))
                .qos(1)
                .publisherClientId("pub-1")
                .timestampMillis(TestEngines.EPOCH_MILLIS);
    }

    private static byte[] wire(MqttMessage m) {
        return MessageMapping.toForwarded(m, new byte[16]).encode();
    }

    private void reconfigure(LinkConfig link) {
        engine.config.set(TestEngines.config(LOCAL, link));
    }

    @Test
    void onMessagePublish_matchingTopic_deliversWithOriginAndAcksSuccess() {
        MqttMessage m = publish("t/test/1/1").build();

        int code = receiver.onMessagePublish(CONN, SENDER, wire(m));

        assertThat(code).isEqualTo(0x00);
        assertThat(broker.delivered())
                .containsExactly(m.toBuilder().originCluster(SENDER).build());
        assertThat(counters.received.sum()).isEqualTo(1);
        assertThat(counters.filtered.sum()).isZero();
    }

    @Test
    void onMessagePublish_compressedGoldenVector_isDelivered() {
        reconfigure(TestEngines.link(SENDER, "linked/#").build());

        int code = receiver.onMessagePublish(CONN, SENDER, GoldenVectors.named("message_qos1_props").compressed);

        assertThat(code).isEqualTo(0x00);
        assertThat(broker.delivered()).singleElement().satisfies(m -> {
            assertThat(m.topic()).isEqualTo("linked/42");
            assertThat(m.originCluster()).hasValue(SENDER);
        });
    }

    @Test
    void onMessagePublish_unknownSender_isFilteredWith0x10() {
        int code = receiver.onMessagePublish(
                CONN, "stranger", wire(publish("t/test-topic").build()));

        assertThat(code).isEqualTo(0x10);
        assertThat(broker.delivered()).isEmpty();
        // Counted in the shared bucket: a peer inventing cluster names must not grow the counters map.
        assertThat(engine.counters.unlinkedCounters().filtered.sum()).isEqualTo(1);
        assertThat(engine.counters.countersOf("stranger")).isSameAs(engine.counters.unlinkedCounters());
    }

    @Test
    void onMessagePublish_topicOutsideLinkTopics_isFilteredWith0x10() {
        int code =
                receiver.onMessagePublish(CONN, SENDER, wire(publish("t/other").build()));

        assertThat(code).isEqualTo(0x10);
        assertThat(broker.delivered()).isEmpty();
        assertThat(counters.filtered.sum()).isEqualTo(1);
        assertThat(counters.received.sum()).isZero();
    }

    @Test
    void onMessagePublish_topicsChanged_oldTopicFilteredNewDelivered() {
        assertThat(receiver.onMessagePublish(
                        CONN, SENDER, wire(publish("t/test-topic").build())))
                .isZero();

        reconfigure(TestEngines.link(SENDER, "t/new/+").build());

        assertThat(receiver.onMessagePublish(
                        CONN, SENDER, wire(publish("t/test-topic").build())))
                .isEqualTo(0x10);
        assertThat(receiver.onMessagePublish(
                        CONN, SENDER, wire(publish("t/new/1").build())))
                .isZero();
        assertThat(broker.delivered()).extracting(MqttMessage::topic).containsExactly("t/test-topic", "t/new/1");
        assertThat(counters.filtered.sum()).isEqualTo(1);
        assertThat(counters.received.sum()).isEqualTo(2);
    }

    @Test
    void onMessagePublish_linkDisabled_nothingDeliveredFromTheNextMessageOn() {
        assertThat(receiver.onMessagePublish(
                        CONN, SENDER, wire(publish("t/test-topic").build())))
                .isZero();

        reconfigure(TestEngines.link(SENDER, "t/test-topic", "t/test/#")
                .enable(false)
                .build());

        assertThat(receiver.onMessagePublish(
                        CONN, SENDER, wire(publish("t/test-topic").build())))
                .isEqualTo(0x10);
        assertThat(receiver.onMessagePublish(
                        CONN, SENDER, wire(publish("t/test/2").build())))
                .isEqualTo(0x10);
        assertThat(broker.delivered()).hasSize(1);
        assertThat(counters.filtered.sum()).isEqualTo(2);
    }

    @Test
    void onMessagePublish_undecodablePayload_acks0x83WithoutDisconnecting() {
        int code = receiver.onMessagePublish(CONN, SENDER, new byte[] {(byte) 0x83, 0x68, 0x0a, 0x77});

        assertThat(code).isEqualTo(0x83);
        assertThat(broker.disconnects()).isEmpty();
        assertThat(counters.protocolErrors.sum()).isEqualTo(1);
        assertThat(counters.rejected.sum()).isEqualTo(1);
        assertThat(broker.delivered()).isEmpty();
        assertThat(receiver.onMessagePublish(
                        CONN, SENDER, wire(publish("t/test-topic").build())))
                .isZero();
    }

    @Test
    void onMessagePublish_controlMessageOnMessageTopic_acks0x83WithoutDisconnecting() {
        int code = receiver.onMessagePublish(CONN, SENDER, GoldenVectors.named("heartbeat").plain);

        assertThat(code).isEqualTo(0x83);
        assertThat(broker.disconnects()).isEmpty();
        assertThat(counters.protocolErrors.sum()).isEqualTo(1);
    }

    @Test
    void onMessagePublish_wildcardTopicInRecord_acks0x83WithoutDisconnecting() {
        byte[] bad = ForwardedMessage.builder()
                .id(new byte[16])
                .topic("t/test/#")
                .build()
                .encode();

        assertThat(receiver.onMessagePublish(CONN, SENDER, bad)).isEqualTo(0x83);
        assertThat(counters.protocolErrors.sum()).isEqualTo(1);
        assertThat(broker.disconnects()).isEmpty();
    }

    @Test
    void onMessagePublish_topicNotUtf8_acks0x90WithoutDisconnecting() {
        ErlTuple record = ForwardedMessage.builder()
                .id(new byte[16])
                .topic("t/test/x")
                .build()
                .toTerm();
        Term[] fields = new Term[record.arity()];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = record.get(i);
        }
        fields[6] = ErlBinary.wrap(new byte[] {'t', '/', 't', 'e', 's', 't', '/', (byte) 0xFF});

        int code = receiver.onMessagePublish(CONN, SENDER, EtfEncoder.encode(ErlTuple.of(fields)));

        assertThat(code).isEqualTo(0x90);
        assertThat(broker.disconnects()).isEmpty();
        assertThat(broker.delivered()).isEmpty();
        assertThat(counters.rejected.sum()).isEqualTo(1);
        assertThat(counters.protocolErrors.sum()).isZero();
    }

    @Test
    void onMessagePublish_metadataTheBrokerCannotCarry_deliveredWithoutItAndCounted() {
        MqttMessage m = publish("t/test-topic").build();
        ErlTuple record = MessageMapping.toForwarded(m, new byte[16]).toTerm();
        Term[] fields = new Term[record.arity()];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = record.get(i);
        }
        fields[3] = ErlBinary.wrap(new byte[] {(byte) 0xC0, (byte) 0x80});
        fields[5] = ErlMap.of(java.util.Map.of(
                EmqxAtoms.PROTO_VER,
                ErlBinary.utf8("1.2"),
                EmqxAtoms.PROTOCOL,
                ErlAtom.of("mqttsn"),
                EmqxAtoms.USERNAME,
                ErlAtom.UNDEFINED,
                EmqxAtoms.PROPERTIES,
                ErlMap.of(EmqxAtoms.PAYLOAD_FORMAT_INDICATOR, ErlInteger.of(2))));
        byte[] payload = EtfEncoder.encode(ErlTuple.of(fields));

        assertThat(receiver.onMessagePublish(CONN, SENDER, payload)).isZero();
        assertThat(receiver.onMessagePublish(CONN, SENDER, payload)).isZero();

        assertThat(broker.delivered()).hasSize(2).allSatisfy(d -> {
            assertThat(d.topic()).isEqualTo("t/test-topic");
            assertThat(d.publisherClientId()).isEmpty();
            assertThat(d.username()).isEmpty();
            assertThat(d.properties()).isEqualTo(PublishProperties.EMPTY);
            assertThat(d.payloadBytes()).isEqualTo(m.payloadBytes());
        });
        assertThat(counters.fieldsDropped.sum()).isEqualTo(2 * 3);
        assertThat(counters.received.sum()).isEqualTo(2);
        assertThat(broker.disconnects()).isEmpty();
        assertThat(counters.snapshot(0).fieldsDropped()).isEqualTo(6);
    }

    @Test
    void onMessagePublish_filteredMessageWithUntypableMetadata_dropsNotCounted() {
        ErlTuple record = MessageMapping.toForwarded(publish("t/other").build(), new byte[16])
                .toTerm();
        Term[] fields = new Term[record.arity()];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = record.get(i);
        }
        fields[5] = ErlMap.of(EmqxAtoms.PROTO_VER, ErlBinary.utf8("1.2"));

        assertThat(receiver.onMessagePublish(CONN, SENDER, EtfEncoder.encode(ErlTuple.of(fields))))
                .isEqualTo(0x10);
        assertThat(counters.filtered.sum()).isEqualTo(1);
        assertThat(counters.fieldsDropped.sum()).isZero();
    }

    @Test
    void onMessagePublish_brokerThrows_acks0x80CountsAndKeepsWorking() {
        broker.failDeliveriesWith(new IllegalStateException("broker is sad"));

        int code = receiver.onMessagePublish(
                CONN, SENDER, wire(publish("t/test-topic").build()));

        assertThat(code).isEqualTo(0x80);
        assertThat(counters.brokerErrors.sum()).isEqualTo(1);
        assertThat(counters.rejected.sum()).isEqualTo(1);
        assertThat(broker.disconnects()).isEmpty();
        assertThat(counters.received.sum()).isZero();
        broker.failDeliveriesWith(null);
        assertThat(receiver.onMessagePublish(
                        CONN, SENDER, wire(publish("t/test-topic").build())))
                .isZero();
        assertThat(counters.received.sum()).isEqualTo(1);
    }

    @Test
    void onMessagePublish_expiryElapsed_isFilteredNotDelivered() {
        MqttMessage m = publish("t/test-topic")
                .properties(PublishProperties.builder()
                        .messageExpiryIntervalSeconds(10)
                        .build())
                .build();
        time.advance(Duration.ofMillis(10_001));

        assertThat(receiver.onMessagePublish(CONN, SENDER, wire(m))).isEqualTo(0x10);
        assertThat(broker.delivered()).isEmpty();
        assertThat(counters.filtered.sum()).isEqualTo(1);
    }

    @Test
    void onMessagePublish_expiryPartlyElapsed_deliversTheRemainingInterval() {
        MqttMessage m = publish("t/test-topic")
                .properties(PublishProperties.builder()
                        .messageExpiryIntervalSeconds(10)
                        .contentType("x")
                        .build())
                .build();
        time.advance(Duration.ofMillis(3_500));

        assertThat(receiver.onMessagePublish(CONN, SENDER, wire(m))).isZero();

        PublishProperties delivered = broker.delivered().get(0).properties();
        assertThat(delivered.messageExpiryIntervalSeconds()).hasValue(7);
        assertThat(delivered.contentType()).hasValue("x");
        assertThat(broker.delivered().get(0).timestampMillis()).isEqualTo(TestEngines.EPOCH_MILLIS);
    }

    @Test
    void onMessagePublish_timestampAheadOfOurClock_keepsTheFullInterval() {
        MqttMessage m = publish("t/test-topic")
                .timestampMillis(TestEngines.EPOCH_MILLIS + 60_000)
                .properties(PublishProperties.builder()
                        .messageExpiryIntervalSeconds(10)
                        .build())
                .build();

        assertThat(receiver.onMessagePublish(CONN, SENDER, wire(m))).isZero();
        assertThat(broker.delivered().get(0).properties().messageExpiryIntervalSeconds())
                .hasValue(10);
    }
}
