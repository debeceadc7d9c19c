package io.clink.testkit;

import io.clink.api.transport.OutgoingPublish;
import java.nio.charset.StandardCharsets;

/*
 * Why this exists: the in-memory transport enforces the peer's Maximum-Packet-Size and counts traffic in bytes, so it
 * needs the exact size of the MQTT 5 PUBLISH a real client would send; that arithmetic (MQTT 5 sections 2.1.4 and
 * 3.3) is kept apart from the network it serves.
 */
final class PublishPacketSize {

    private PublishPacketSize() {}

    /** Fixed header included: topic, packet identifier for QoS 1, properties (Response-Topic, Correlation-Data). */
    static long of(OutgoingPublish publish) {
        long props = 0;
        if (publish.responseTopic() != null) {
            props += 3 + publish.responseTopic().getBytes(StandardCharsets.UTF_8).length;
        }
        byte[] correlation = publish.correlationData();
        if (correlation != null) {
            props += 3 + correlation.length;
        }
        long remaining = 2
                + publish.topic().getBytes(StandardCharsets.UTF_8).length
                + (publish.qos() > 0 ? 2 : 0)
                + varIntSize(props)
                + props
                + publish.payload().length;
        return 1 + varIntSize(remaining) + remaining;
    }

    private static int varIntSize(long v) {
        int n = 1;
        while (v >= 128) {
            v >>>= 7;
            n++;
        }
        return n;
    }
}
