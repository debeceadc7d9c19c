package io.clink.hivemq.internal;

import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.packets.general.MqttVersion;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import io.clink.api.broker.MqttMessage;

/** Numeric MQTT 5 reason codes (clink's currency) to and from HiveMQ's enums. */
public final class Codes {

    private Codes() {}

    /**
     * The PUBACK reason for a code clink returned. Codes HiveMQ cannot send map to the nearest class: other
     * successes to SUCCESS, other failures to UNSPECIFIED_ERROR.
     */
    public static AckReasonCode ack(int code) {
        switch (code) {
            case 0x00:
                return AckReasonCode.SUCCESS;
            case 0x10:
                return AckReasonCode.NO_MATCHING_SUBSCRIBERS;
            case 0x83:
                return AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR;
            case 0x87:
                return AckReasonCode.NOT_AUTHORIZED;
            case 0x90:
                return AckReasonCode.TOPIC_NAME_INVALID;
            case 0x91:
                return AckReasonCode.PACKET_IDENTIFIER_IN_USE;
            case 0x97:
                return AckReasonCode.QUOTA_EXCEEDED;
            case 0x99:
                return AckReasonCode.PAYLOAD_FORMAT_INVALID;
            default:
                return code < 0x80 ? AckReasonCode.SUCCESS : AckReasonCode.UNSPECIFIED_ERROR;
        }
    }

    /** The DISCONNECT reason for a code clink asked for; unknown codes become UNSPECIFIED_ERROR. */
    public static DisconnectReasonCode disconnect(int code) {
        switch (code) {
            case 0x81:
                return DisconnectReasonCode.MALFORMED_PACKET;
            case 0x82:
                return DisconnectReasonCode.PROTOCOL_ERROR;
            case 0x83:
                return DisconnectReasonCode.IMPLEMENTATION_SPECIFIC_ERROR;
            case 0x87:
                return DisconnectReasonCode.NOT_AUTHORIZED;
            case 0x89:
                return DisconnectReasonCode.SERVER_BUSY;
            case 0x8B:
                return DisconnectReasonCode.SERVER_SHUTTING_DOWN;
            case 0x93:
                return DisconnectReasonCode.RECEIVE_MAXIMUM_EXCEEDED;
            case 0x95:
                return DisconnectReasonCode.PACKET_TOO_LARGE;
            case 0x96:
                return DisconnectReasonCode.MESSAGE_RATE_TOO_HIGH;
            case 0x97:
                return DisconnectReasonCode.QUOTA_EXCEEDED;
            case 0x98:
                return DisconnectReasonCode.ADMINISTRATIVE_ACTION;
            case 0x99:
                return DisconnectReasonCode.PAYLOAD_FORMAT_INVALID;
            default:
                return DisconnectReasonCode.UNSPECIFIED_ERROR;
        }
    }

    /** Whether a SUBACK reason grants the subscription. */
    public static boolean granted(SubackReasonCode code) {
        return code == SubackReasonCode.GRANTED_QOS_0
                || code == SubackReasonCode.GRANTED_QOS_1
                || code == SubackReasonCode.GRANTED_QOS_2;
    }

    /** clink's protocol version number. */
    public static int protocolVersion(MqttVersion version) {
        switch (version) {
            case V_3_1:
                return MqttMessage.MQTT_3_1;
            case V_3_1_1:
                return MqttMessage.MQTT_3_1_1;
            default:
                return MqttMessage.MQTT_5;
        }
    }
}
