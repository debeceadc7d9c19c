package io.clink.core.scenarios;

import static io.clink.core.scenarios.LinkedClusters.config;
import static io.clink.core.scenarios.LinkedClusters.link;
import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.broker.LocalSubscription;
import io.clink.api.broker.MqttMessage;
import io.clink.api.config.LinkConfig;
import io.clink.api.config.ResourceOptions;
import io.clink.api.link.ForwardingStatus;
import io.clink.api.link.RemoteRoute;
import io.clink.api.topic.Subscription;
import io.clink.api.topic.TopicAlgebra;
import io.clink.core.scenarios.LinkedClusters.Node;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Model-based randomized test of the whole link (issue 4): random sequences of subscribe, unsubscribe, shared
 * subscribe, session drop, link cut, reconnect, broker restart (new incarnation), configuration change and clock
 * advance, between cluster A (publishing) and cluster B (subscribing). Afterwards:
 * <ul>
 *   <li>A's view of B's routes equals B's subscriptions intersected with B's link topics (route convergence);
 *   <li>every QoS 1 message A published while A's route index matched B and A's forwarding pool was connected
 *       crossed the link at least once (at-least-once forwarding).
 * </ul>
 * Every run is bounded (steps and simulated time) and reproducible from its seed.
 */
class RandomizedLinkModelTest {

    private static final String[] SUBSCRIPTIONS = {
        "r/#", "r/+/x", "r/1/x", "s/+", "s/2", "$share/g/r/#", "$share/h/s/+", "$queue/s/3", "r/+/+/deep", "s/#"
    };
    private static final String[] TOPICS = {"r/1/x", "r/2/x", "r/1/y", "s/2", "s/3", "r/a/b/deep", "s/4/5"};
    private static final List<String> TOPICS_WIDE = List.of("#");
    private static final List<String> TOPICS_NARROW = List.of("r/#", "s/#");

    @Test
    void randomOperations_routesConvergeAndMessagesArriveAtLeastOnce() {
        int checkedMessages = 0;
        int checkedRoutes = 0;
        for (long seed = 1; seed <= 12; seed++) {
            int[] counts = runOnce(seed);
            checkedMessages += counts[0];
            checkedRoutes += counts[1];
        }
        // Guard against a vacuous run: the random walk must have produced routed messages and live routes to check.
        assertThat(checkedMessages).as("messages checked for at-least-once").isGreaterThan(50);
        assertThat(checkedRoutes).as("routes checked for convergence").isGreaterThan(12);
    }

    private static LinkConfig linkToB() {
        // A forwards to B; a long request TTL so that no message expires inside the simulated time.
        return link("B").toBuilder()
                .resourceOptions(ResourceOptions.builder()
                        .requestTtl(Duration.ofHours(1))
                        .build())
                .build();
    }

    private static LinkConfig linkToA(List<String> topics) {
        return link("A", topics.toArray(new String[0]));
    }

    /** Runs one seed; returns {messages checked, routes checked}. */
    private int[] runOnce(long seed) {
        Random rnd = new Random(seed);
        try (LinkedClusters clusters = new LinkedClusters(seed)) {
            Node a = clusters.start("A", config("A", linkToB()));
            Node b = clusters.start("B", config("B", linkToA(TOPICS_WIDE)));
            List<String> bTopics = TOPICS_WIDE;
            clusters.settle();
            List<String> expectedAcross = new ArrayList<>();
            int published = 0;
            for (int step = 0; step < 120; step++) {
                int op = rnd.nextInt(100);
                String client = "c" + rnd.nextInt(5);
                if (op < 25) {
                    b.client0(client).subscribe(SUBSCRIPTIONS[rnd.nextInt(SUBSCRIPTIONS.length)], 1);
                } else if (op < 35) {
                    b.client0(client).unsubscribe(SUBSCRIPTIONS[rnd.nextInt(SUBSCRIPTIONS.length)]);
                } else if (op < 40) {
                    b.client0(client).disconnect();
                } else if (op < 44) {
                    (rnd.nextBoolean() ? a : b).endpoint.cutAll();
                } else if (op < 46) {
                    b.restart();
                } else if (op < 48) {
                    bTopics = bTopics == TOPICS_WIDE ? TOPICS_NARROW : TOPICS_WIDE;
                    b.update(config("B", linkToA(bTopics)));
                } else if (op < 75) {
                    String topic = TOPICS[rnd.nextInt(TOPICS.length)];
                    String payload = "m" + (published++);
                    boolean matched =
                            a.link.remoteRoutes("B").stream().anyMatch(r -> TopicAlgebra.match(r.filter(), topic));
                    boolean up = a.link.status("B").orElseThrow().forwarding() == ForwardingStatus.CONNECTED;
                    a.client0("pub").publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
                    if (matched && up) {
                        expectedAcross.add(topic + "=" + payload);
                    }
                } else {
                    clusters.advance(Duration.ofMillis(rnd.nextInt(8_000)));
                }
                clusters.time.runUntilIdle();
            }
            // Heal: everything reconnects within the backoff cap, then a resync and a few heartbeats pass.
            clusters.advance(Duration.ofSeconds(75));
            clusters.settle();

            Set<RemoteRoute> expectedRoutes = expectedRoutes(b.broker.subscriptions(), bTopics);
            assertThat(a.link.remoteRoutes("B"))
                    .as("seed %d: A's view of B's routes", seed)
                    .isEqualTo(expectedRoutes);
            Set<String> crossed = new HashSet<>();
            for (MqttMessage m : b.broker.delivered()) {
                crossed.add(m.topic() + "=" + StandardCharsets.UTF_8.decode(m.payload()));
            }
            assertThat(crossed)
                    .as("seed %d: QoS 1 messages published while routed and up", seed)
                    .containsAll(expectedAcross);
            return new int[] {expectedAcross.size(), expectedRoutes.size()};
        }
    }

    private static Set<RemoteRoute> expectedRoutes(List<LocalSubscription> subscriptions, List<String> topics) {
        List<String> union = TopicAlgebra.union(topics);
        Set<RemoteRoute> out = new HashSet<>();
        for (LocalSubscription s : subscriptions) {
            Subscription sub = Subscription.parse(s.subscription());
            for (String filter : TopicAlgebra.intersections(sub.filter().value(), union)) {
                out.add(new RemoteRoute(filter, sub.routeId()));
            }
        }
        return out;
    }
}
