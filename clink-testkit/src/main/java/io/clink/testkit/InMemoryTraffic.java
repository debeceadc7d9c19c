package io.clink.testkit;

import java.util.ArrayList;
import java.util.List;

/*
 * Why this exists: what the in-memory network counts (publishes sent by clients, with their packet sizes, and
 * deliveries to clients' handlers), once per endpoint and once per connection, so tests can assert on traffic.
 */

/**
 * Traffic counters of an endpoint or connection: publishes sent by clients (counted when sent, dropped ones
 * included) and messages delivered to clients' handlers.
 *
 * @since 0.1.0
 */
public final class InMemoryTraffic {
    private final List<String> publishTopics = new ArrayList<>();
    private final List<Long> publishSizes = new ArrayList<>();
    private final List<String> deliveryTopics = new ArrayList<>();

    InMemoryTraffic() {}

    synchronized void publish(String topic, long packetSize) {
        publishTopics.add(topic);
        publishSizes.add(packetSize);
    }

    synchronized void delivery(String topic) {
        deliveryTopics.add(topic);
    }

    /**
     * Publishes whose topic starts with {@code topicPrefix}.
     *
     * @param topicPrefix for example {@code $LINK/cluster/route/}; empty for all
     * @return the count
     * @since 0.1.0
     */
    public synchronized long publishes(String topicPrefix) {
        return publishTopics.stream().filter(t -> t.startsWith(topicPrefix)).count();
    }

    /**
     * Bytes of PUBLISH packets (see {@link InMemoryLinkNetwork#publishPacketSize}) whose topic starts with
     * {@code topicPrefix}.
     *
     * @param topicPrefix a prefix; empty for all
     * @return the byte count
     * @since 0.1.0
     */
    public synchronized long publishedBytes(String topicPrefix) {
        long sum = 0;
        for (int i = 0; i < publishTopics.size(); i++) {
            if (publishTopics.get(i).startsWith(topicPrefix)) {
                sum += publishSizes.get(i);
            }
        }
        return sum;
    }

    /**
     * Messages delivered to client handlers whose topic starts with {@code topicPrefix}.
     *
     * @param topicPrefix a prefix; empty for all
     * @return the count
     * @since 0.1.0
     */
    public synchronized long deliveries(String topicPrefix) {
        return deliveryTopics.stream().filter(t -> t.startsWith(topicPrefix)).count();
    }

    /**
     * The topics of all publishes, in order.
     *
     * @return a snapshot copy
     * @since 0.1.0
     */
    public synchronized List<String> publishTopics() {
        return List.copyOf(publishTopics);
    }

    @Override
    public synchronized String toString() {
        return "InMemoryTraffic{publishes=" + publishTopics.size() + ", deliveries=" + deliveryTopics.size() + '}';
    }
}
