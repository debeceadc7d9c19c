package io.clink.artemis.internal;

import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import io.clink.api.broker.UserProperty;
import io.clink.api.topic.TopicFilter;
import io.clink.api.topic.TopicName;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import java.util.List;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.WildcardConfiguration;
import org.apache.activemq.artemis.core.message.impl.CoreMessage;
import org.apache.activemq.artemis.core.postoffice.Binding;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTSessionState;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTStateManager;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTUtil;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.transaction.Transaction;

/*
 * Puts a message from another cluster into Artemis as if an MQTT client had published it, without running any
 * interceptor and without touching the retained store.
 *
 * The message is a core message carrying the same properties Artemis's MQTT layer writes for a client's publish
 * (QoS, retain flag, MQTT 5 properties under MQTTUtil's keys), addressed with the server's wildcard syntax, and routed
 * with PostOffice.route: shared subscriptions (one queue per group) get one copy, each plain subscription one, and
 * Artemis's cluster connections carry it to the other nodes. The retained store ($sys.mqtt.retain.*) is only written
 * by the MQTT layer's publish handling, which this path never enters.
 *
 * Threads: any; route() with persistence off completes on the calling thread without waiting for consumers.
 */
/** Delivers clink messages into one Artemis server. Thread-safe. */
public final class Delivery {

    private final ActiveMQServer server;

    public Delivery(ActiveMQServer server) {
        this.server = server;
    }

    /** Routes the message to the subscribers present now. */
    public void deliver(MqttMessage m) {
        try {
            server.getPostOffice().route(toCoreMessage(m), false);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "Artemis could not route the message on '" + m.topic() + "' from cluster "
                            + m.originCluster().orElse("?") + ": " + e,
                    e);
        }
    }

    /**
     * Routes the message to one client's own (non-shared) subscription queue whose filter matches the topic, so no
     * other subscriber of the topic gets it.
     *
     * @return false if the client has no such subscription on this node (nothing was routed)
     */
    public boolean deliverTo(String clientId, MqttMessage m) {
        MQTTSessionState session;
        try {
            session = MQTTStateManager.getInstance(server).getSessionStates().get(clientId);
        } catch (Exception e) {
            throw new IllegalStateException("Artemis's MQTT session state cannot be read: " + e, e);
        }
        if (session == null) {
            return false;
        }
        WildcardConfiguration wildcards = server.getConfiguration().getWildcardConfiguration();
        TopicName topic = TopicName.of(m.topic());
        for (MqttTopicSubscription s : session.getSubscriptions()) {
            String filter = s.topicName();
            if (filter == null || MQTTUtil.isSharedSubscription(filter) || !matches(filter, topic)) {
                continue;
            }
            Binding binding = server.getPostOffice()
                    .getBinding(SimpleString.of(MQTTUtil.getCoreQueueFromMqttTopic(filter, clientId, wildcards)));
            if (binding == null) {
                continue;
            }
            try {
                // The binding argument routes to that one queue instead of every binding of the address.
                server.getPostOffice().route(toCoreMessage(m), (Transaction) null, false, false, binding);
            } catch (Exception e) {
                throw new IllegalStateException(
                        "Artemis could not route the message on '" + m.topic() + "' to " + clientId + ": " + e, e);
            }
            return true;
        }
        return false;
    }

    private static boolean matches(String filter, TopicName topic) {
        try {
            return TopicFilter.of(filter).matches(topic);
        } catch (RuntimeException e) {
            return false;
        }
    }

    CoreMessage toCoreMessage(MqttMessage m) {
        byte[] payload = m.payloadBytes();
        CoreMessage msg = new CoreMessage(server.getStorageManager().generateID(), payload.length + 64);
        String address = MQTTUtil.getCoreAddressFromMqttTopic(
                m.topic(), server.getConfiguration().getWildcardConfiguration());
        msg.setAddress(SimpleString.of(address));
        msg.setType(Message.BYTES_TYPE);
        // As Artemis's MQTT layer marks a client's publish. A message without a routing type is not routed to other
        // nodes' subscription queues when a cluster connection's load balancing is OFF or OFF_WITH_REDISTRIBUTION,
        // so forwarded messages would reach fewer subscribers than a local publish on the same topic.
        msg.setRoutingType(RoutingType.MULTICAST);
        msg.setDurable(m.qos() > 0);
        msg.putIntProperty(MQTTUtil.MQTT_QOS_LEVEL_KEY, m.qos());
        msg.putBooleanProperty(MQTTUtil.MQTT_MESSAGE_RETAIN_KEY, m.retain());
        long now = System.currentTimeMillis();
        msg.setTimestamp(now);
        PublishProperties p = m.properties();
        p.payloadFormatIndicator().ifPresent(v -> msg.putIntProperty(MQTTUtil.MQTT_PAYLOAD_FORMAT_INDICATOR_KEY, v));
        p.responseTopic().ifPresent(v -> msg.putStringProperty(MQTTUtil.MQTT_RESPONSE_TOPIC_KEY, v));
        p.correlationData().ifPresent(v -> msg.putBytesProperty(MQTTUtil.MQTT_CORRELATION_DATA_KEY, v));
        p.contentType().ifPresent(v -> msg.putStringProperty(MQTTUtil.MQTT_CONTENT_TYPE_KEY, v));
        List<UserProperty> user = p.userProperties();
        if (!user.isEmpty()) {
            msg.putIntProperty(MQTTUtil.MQTT_USER_PROPERTY_EXISTS_KEY, user.size());
            for (int i = 0; i < user.size(); i++) {
                UserProperty u = user.get(i);
                // Artemis keeps MQTT 5 user properties in order (and duplicates apart) by index in the key.
                msg.putStringProperty(MQTTUtil.MQTT_USER_PROPERTY_KEY_PREFIX + i + "." + u.name(), u.value());
            }
        }
        p.messageExpiryIntervalSeconds().ifPresent(s -> msg.setExpiration(now + s * 1000));
        msg.getBodyBuffer().writeBytes(payload);
        return msg;
    }
}
