package io.clink.benchmarks;

import com.codahale.metrics.MetricRegistry;
import com.hivemq.metrics.MetricsHolder;
import com.hivemq.mqtt.message.QoS;
import com.hivemq.mqtt.message.subscribe.Topic;
import com.hivemq.mqtt.topic.SubscriberWithIdentifiers;
import com.hivemq.mqtt.topic.tree.LocalTopicTree;
import java.util.HashSet;
import java.util.Set;

/** HiveMQ CE 2025.5's own subscription index ({@code LocalTopicTree}); a row is a subscription of its peer key. */
final class HiveMqRouteTable extends RouteTable {

    private final LocalTopicTree tree = new LocalTopicTree(new MetricsHolder(new MetricRegistry()));

    @Override
    public void add(RouteWorkload.Route route) {
        tree.addTopic(route.subscriber(), new Topic(route.filter(), QoS.AT_LEAST_ONCE), (byte) 0, null);
    }

    @Override
    public void remove(RouteWorkload.Route route) {
        tree.removeSubscriber(route.subscriber(), route.filter(), null);
    }

    @Override
    public Object match(String topic) {
        return tree.findTopicSubscribers(topic);
    }

    @Override
    public Set<String> clusters(String topic) {
        Set<String> out = new HashSet<>();
        for (SubscriberWithIdentifiers s : tree.findTopicSubscribers(topic).getSubscribers()) {
            out.add(clusterOf(s.getSubscriber()));
        }
        return out;
    }
}
