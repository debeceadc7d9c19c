package io.clink.core.scenarios;

import io.clink.api.IncarnationStore;
import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.config.LinkConfig;
import io.clink.core.ClusterLink;
import io.clink.core.internal.node.BuilderSeams;
import io.clink.testkit.FakeBrokerClient;
import io.clink.testkit.FakeLocalBroker;
import io.clink.testkit.InMemoryIncarnationStore;
import io.clink.testkit.InMemoryLinkNetwork;
import io.clink.testkit.ManualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Clusters of clink-enabled fake brokers on one in-memory link network, driven by one manual clock: the setting of
 * the protocol document's section 8 scenarios, without sockets, threads or sleeps.
 *
 * <p>Each {@link Node} is one broker node with its own {@link ClusterLink}; its link listener is
 * {@code <cluster>:11883} on the network (a second node of the same cluster listens on {@code <cluster>-<n>}).
 */
final class LinkedClusters implements AutoCloseable {

    static final int LINK_PORT = 11883;

    final ManualTime time = ManualTime.create();
    final InMemoryLinkNetwork network = new InMemoryLinkNetwork(time);
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final SplittableRandom random;

    LinkedClusters() {
        this(42);
    }

    LinkedClusters(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A link entry pointing at {@code remote}'s first node. */
    static LinkConfig link(String remote, String... topics) {
        return LinkConfig.builder()
                .name(remote)
                .server(remote + ":" + LINK_PORT)
                .clientId("clink-" + remote + "-")
                .topics(List.of(topics))
                .build();
    }

    static ClusterLinkConfig config(String cluster, LinkConfig... links) {
        return ClusterLinkConfig.builder().name(cluster).links(List.of(links)).build();
    }

    /** Creates and starts a node listening as {@code host}. */
    Node start(String host, ClusterLinkConfig config) {
        Node node = new Node(host, config);
        nodes.put(host, node);
        node.start();
        return node;
    }

    Node node(String host) {
        return nodes.get(host);
    }

    /** Lets every pending task, timer and in-flight message run: a few simulated seconds. */
    void settle() {
        for (int i = 0; i < 20; i++) {
            time.advance(Duration.ofMillis(100));
        }
    }

    void advance(Duration d) {
        time.advance(d);
    }

    @Override
    public void close() {
        for (Node n : nodes.values()) {
            n.stop();
        }
    }

    /** One broker node: a fake broker, its link listener, and its clink engine. */
    final class Node {
        final String host;
        final FakeLocalBroker broker;
        final InMemoryLinkNetwork.Endpoint endpoint;
        final IncarnationStore incarnations = new InMemoryIncarnationStore();
        ClusterLinkConfig config;
        ClusterLink link;

        Node(String host, ClusterLinkConfig config) {
            this.host = host;
            this.config = config;
            this.broker = new FakeLocalBroker(time.ticker());
            this.endpoint = network.listen(host, LINK_PORT, broker);
        }

        void start() {
            ClusterLink.Builder builder = ClusterLink.builder()
                    .config(config)
                    .broker(broker)
                    .transport(network.newTransport())
                    .nodeName("clink@" + host)
                    .ticker(time.ticker())
                    .scheduler(time.scheduler())
                    .executor(time.executor())
                    .incarnationStore(incarnations);
            link = BuilderSeams.random(builder, random::nextDouble).build();
            link.start();
        }

        void stop() {
            if (link != null) {
                link.close();
                link = null;
            }
        }

        /** Stops the engine and starts a new one (a broker restart: the actor gets a new incarnation). */
        void restart() {
            stop();
            start();
        }

        void update(ClusterLinkConfig next) {
            config = next;
            link.updateConfig(next);
        }

        private final Map<String, FakeBrokerClient> clients = new HashMap<>();

        /** Connects a new clean-start session for {@code clientId}, taking over any earlier one. */
        FakeBrokerClient client(String clientId) {
            FakeBrokerClient c = broker.connect(clientId);
            clients.put(clientId, c);
            return c;
        }

        /** The connected session of {@code clientId}, connecting a new one only if it is gone. */
        FakeBrokerClient client0(String clientId) {
            FakeBrokerClient c = clients.get(clientId);
            return c != null && c.isConnected() ? c : client(clientId);
        }
    }

    static List<String> payloads(List<FakeLocalBroker.Delivery> deliveries) {
        List<String> out = new ArrayList<>();
        for (FakeLocalBroker.Delivery d : deliveries) {
            out.add(d.topic() + "=" + d.payloadUtf8());
        }
        return out;
    }
}
