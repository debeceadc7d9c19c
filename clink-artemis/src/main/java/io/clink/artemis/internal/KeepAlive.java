package io.clink.artemis.internal;

import java.lang.reflect.Method;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTConnection;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Marks an Artemis connection alive for a packet the adapter consumed. Artemis notes "data received" in
 * MQTTProtocolHandler.channelRead, which a consumed $LINK publish never reaches; its connection checker then expires a
 * link connection that carries only $LINK traffic once the keepalive (times 1.5) passes without a packet Artemis saw.
 * The flag's setter, MQTTConnection.dataReceived(), is protected, so it is called reflectively; if a
 * future Artemis removes it, the adapter logs once and link clients must rely on their own PINGREQs.
 */
/** Marks connections alive for packets Artemis never saw. Thread-safe. */
public final class KeepAlive {

    private static final Logger LOG = LoggerFactory.getLogger(KeepAlive.class);
    private static final @Nullable Method DATA_RECEIVED = find();

    private KeepAlive() {}

    private static @Nullable Method find() {
        try {
            Method m = MQTTConnection.class.getDeclaredMethod("dataReceived");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn(
                    "Artemis has no MQTTConnection.dataReceived(): link connections that carry only"
                            + " $LINK traffic may time out unless their clients send PINGREQ ({})",
                    e.toString());
            return null;
        }
    }

    /** Whether marking works on this Artemis version. */
    public static boolean supported() {
        return DATA_RECEIVED != null;
    }

    /** Tells Artemis's connection checker that the connection is alive. */
    public static void mark(RemotingConnection connection) {
        Method m = DATA_RECEIVED;
        if (m == null || !(connection instanceof MQTTConnection)) {
            return;
        }
        try {
            m.invoke(connection);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("could not mark connection {} alive: {}", connection.getID(), e.toString());
        }
    }
}
