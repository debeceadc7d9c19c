package io.clink.hivemq.internal;

import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.general.UserProperty;
import com.hivemq.extension.sdk.api.packets.publish.PayloadFormatIndicator;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.builder.PublishBuilder;
import com.hivemq.extension.sdk.api.services.publish.Publish;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/** HiveMQ publishes to clink messages and back. */
public final class Messages {

    private static final byte[] EMPTY = new byte[0];
    private static final long MAX_EXPIRY = 0xFFFF_FFFFL;

    private Messages() {}

    /** The payload of a packet as a fresh array (HiveMQ's buffer may be read-only or shared). */
    public static byte[] payload(PublishPacket packet) {
        return packet.getPayload().map(Messages::bytes).orElse(EMPTY);
    }

    /** The MQTT 5 properties clink carries across a link. */
    public static PublishProperties properties(PublishPacket packet) {
        PublishProperties.Builder b = PublishProperties.builder();
        for (UserProperty p : packet.getUserProperties().asList()) {
            b.userProperty(p.getName(), p.getValue());
        }
        // HiveMQ reports "no expiry" as 2^32 seconds, one more than MQTT can carry.
        packet.getMessageExpiryInterval().filter(v -> v <= MAX_EXPIRY).ifPresent(b::messageExpiryIntervalSeconds);
        packet.getContentType().ifPresent(b::contentType);
        packet.getResponseTopic().ifPresent(b::responseTopic);
        packet.getCorrelationData().ifPresent(c -> b.correlationData(bytes(c)));
        packet.getPayloadFormatIndicator()
                .ifPresent(f -> b.payloadFormatIndicator(f == PayloadFormatIndicator.UTF_8 ? 1 : 0));
        return b.build();
    }

    /** A local client's publish, as clink's message. */
    public static MqttMessage fromPacket(
            PublishPacket packet,
            String clientId,
            @Nullable String username,
            @Nullable String peerHost,
            int protocolVersion) {
        return MqttMessage.builder()
                .topic(packet.getTopic())
                .payload(payload(packet))
                .qos(packet.getQos().getQosNumber())
                .retain(packet.getRetain())
                .properties(properties(packet))
                .publisherClientId(clientId)
                .username(username)
                .peerHost(peerHost)
                .protocolVersion(protocolVersion)
                .timestampMillis(Math.max(0, packet.getTimestamp()))
                .build();
    }

    /** clink's message as a publish for HiveMQ's PublishService. */
    public static Publish toPublish(MqttMessage m) {
        PublishBuilder b = Builders.publish()
                .topic(m.topic())
                .qos(Qos.valueOf(m.qos()))
                .retain(m.retain())
                .payload(m.payload());
        PublishProperties p = m.properties();
        p.userProperties().forEach(u -> b.userProperty(u.name(), u.value()));
        p.messageExpiryIntervalSeconds().ifPresent(b::messageExpiryInterval);
        p.contentType().ifPresent(b::contentType);
        p.responseTopic().ifPresent(b::responseTopic);
        p.correlationData().ifPresent(c -> b.correlationData(ByteBuffer.wrap(c)));
        p.payloadFormatIndicator()
                .ifPresent(f -> b.payloadFormatIndicator(
                        f == 1 ? PayloadFormatIndicator.UTF_8 : PayloadFormatIndicator.UNSPECIFIED));
        return b.build();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer d = buffer.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }
}
