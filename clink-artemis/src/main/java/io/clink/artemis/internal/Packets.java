package io.clink.artemis.internal;

import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import org.jspecify.annotations.Nullable;

/** Netty MQTT packets to and from clink's values: publish properties, acknowledgements, DISCONNECT. */
public final class Packets {

    private Packets() {}

    /** The payload as a fresh array: clink may keep it after the packet's buffer is released. */
    public static byte[] payload(MqttPublishMessage publish) {
        ByteBuf buf = publish.payload();
        return ByteBufUtil.getBytes(buf, buf.readerIndex(), buf.readableBytes());
    }

    /** The MQTT 5 properties clink carries across a link; empty for MQTT 3.1.1. */
    public static PublishProperties properties(MqttPublishMessage publish) {
        MqttProperties props = publish.variableHeader().properties();
        // Not props.isEmpty(): netty's isEmpty() ignores user properties, which it keeps apart.
        if (props == null) {
            return PublishProperties.EMPTY;
        }
        PublishProperties.Builder b = PublishProperties.builder();
        for (MqttProperty<?> p : props.getProperties(MqttPropertyType.USER_PROPERTY.value())) {
            if (p instanceof MqttProperties.UserProperties list) {
                list.value().forEach(pair -> b.userProperty(pair.key, pair.value));
            } else if (p instanceof MqttProperties.UserProperty one) {
                b.userProperty(one.value().key, one.value().value);
            }
        }
        Integer expiry = intProperty(props, MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL);
        if (expiry != null) {
            // A four-byte unsigned integer on the wire; netty hands it over as a signed int.
            b.messageExpiryIntervalSeconds(Integer.toUnsignedLong(expiry));
        }
        b.contentType(stringProperty(props, MqttPropertyType.CONTENT_TYPE));
        b.responseTopic(stringProperty(props, MqttPropertyType.RESPONSE_TOPIC));
        MqttProperty<?> correlation = props.getProperty(MqttPropertyType.CORRELATION_DATA.value());
        if (correlation != null && correlation.value() instanceof byte[] data) {
            b.correlationData(data);
        }
        b.payloadFormatIndicator(intProperty(props, MqttPropertyType.PAYLOAD_FORMAT_INDICATOR));
        return b.build();
    }

    /** The MQTT 5 topic alias of a publish, or null. */
    public static @Nullable Integer topicAlias(MqttPublishMessage publish) {
        MqttProperties props = publish.variableHeader().properties();
        return props == null ? null : intProperty(props, MqttPropertyType.TOPIC_ALIAS);
    }

    /** A local client's publish, as clink's message. */
    public static MqttMessage fromPublish(MqttPublishMessage publish, String topic, ConnectionState state) {
        return MqttMessage.builder()
                .topic(topic)
                .payload(payload(publish))
                .qos(publish.fixedHeader().qosLevel().value())
                .retain(publish.fixedHeader().isRetain())
                .properties(properties(publish))
                .publisherClientId(state.clientId())
                .username(state.username())
                .peerHost(state.peerHost())
                .protocolVersion(state.protocolVersion())
                .timestampMillis(System.currentTimeMillis())
                .build();
    }

    /** PUBACK (QoS 1), PUBREC (QoS 2) or PUBCOMP with a reason code; the encoder drops the code for MQTT 3.1.1. */
    public static io.netty.handler.codec.mqtt.MqttMessage reply(MqttMessageType type, int packetId, int reasonCode) {
        return new io.netty.handler.codec.mqtt.MqttMessage(
                new MqttFixedHeader(type, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttPubReplyMessageVariableHeader(packetId, (byte) reasonCode, MqttProperties.NO_PROPERTIES));
    }

    /** An MQTT 5 DISCONNECT with a reason code and Reason-String. */
    public static io.netty.handler.codec.mqtt.MqttMessage disconnect(int reasonCode, String reasonString) {
        MqttProperties props = new MqttProperties();
        props.add(new MqttProperties.StringProperty(MqttPropertyType.REASON_STRING.value(), reasonString));
        return MqttMessageBuilders.disconnect()
                .reasonCode((byte) reasonCode)
                .properties(props)
                .build();
    }

    static @Nullable Integer intProperty(MqttProperties props, MqttPropertyType type) {
        MqttProperty<?> p = props.getProperty(type.value());
        return p != null && p.value() instanceof Integer i ? i : null;
    }

    static @Nullable String stringProperty(MqttProperties props, MqttPropertyType type) {
        MqttProperty<?> p = props.getProperty(type.value());
        return p != null && p.value() instanceof String s ? s : null;
    }
}
