package io.moquette.broker.subscriptions;

import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.List;

/**
 * Reaches Moquette 0.17's {@link CTrie}, whose constructor is package-private, for the clink benchmarks. It adds
 * nothing to the trie's own work: a match parses the topic as Moquette's broker does on a publish, then walks the
 * trie.
 *
 * @since 0.1.0
 */
public final class MoquetteTrie {

    private final CTrie trie = new CTrie();

    /**
     * Creates an empty trie.
     *
     * @since 0.1.0
     */
    public MoquetteTrie() {}

    /**
     * Subscribes {@code clientId} to {@code filter}.
     *
     * @param clientId the subscriber
     * @param filter the topic filter
     * @since 0.1.0
     */
    public void add(String clientId, String filter) {
        trie.addToTree(new Subscription(clientId, new Topic(filter), MqttQoS.AT_LEAST_ONCE));
    }

    /**
     * Unsubscribes {@code clientId} from {@code filter}.
     *
     * @param clientId the subscriber
     * @param filter the topic filter
     * @since 0.1.0
     */
    public void remove(String clientId, String filter) {
        trie.removeFromTree(new Topic(filter), clientId);
    }

    /**
     * Returns the subscriptions matching a publish topic.
     *
     * @param topic the topic name
     * @return Moquette's result list
     * @since 0.1.0
     */
    public List<Subscription> match(String topic) {
        return trie.recursiveMatch(Topic.asTopic(topic));
    }
}
