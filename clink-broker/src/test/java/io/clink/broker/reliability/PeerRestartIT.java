package io.clink.broker.reliability;

import static io.clink.broker.reliability.LinkedPair.await;
import static io.clink.broker.reliability.LinkedPair.soak;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 2 of issue 8: B restarts (a new incarnation) while A publishes. A's view of B's routes is rebuilt from
 * B's new snapshot: the route B no longer has after the restart vanishes, and once the view converged nothing is
 * forwarded for it. Short: one restart; soak ({@code -Psoak}): five.
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class PeerRestartIT extends ReliabilityBase {

    @Test
    void restart_whileAPublishes_staleRouteVanishesAndIsNoLongerForwarded() throws Exception {
        int restarts = soak() ? 5 : 1;
        pair = new LinkedPair();
        pair.startBoth();
        Mqtt keep = client(pair.b, "b-keep").subscribe("keep/#");
        Mqtt stale = client(pair.b, "b-stale").subscribe("stale/#");
        await(
                "A learns both of B's routes",
                LinkedPair.WAIT_MS,
                () -> pair.a.peerRoutes().equals(Set.of("keep/#", "stale/#")) && pair.a.online(),
                pair);

        Mqtt pub = client(pair.a, "a-pub");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong published = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread publisher = new Thread(
                () -> {
                    try {
                        for (int i = 0; i < 1_000_000 && !stop.get(); i++) {
                            pub.publish((i % 2 == 0 ? "keep/" : "stale/") + i, "during-" + i);
                            published.incrementAndGet();
                            Thread.sleep(5);
                        }
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                },
                "a-publisher");
        publisher.start();

        long totalConvergeMs = 0;
        for (int r = 1; r <= restarts; r++) {
            long incarnationBefore = pair.b.status().actors().get(0).incarnation();
            keep.close();
            stale.close();
            pair.b.stop();
            pair.b.start();
            long startedAt = System.nanoTime();
            keep = client(pair.b, "b-keep-" + r).subscribe("keep/#");
            // stale/# is gone: B no longer has a subscriber for it.
            stale = client(pair.b, "b-other-" + r).subscribe("other" + r + "/#");
            String other = "other" + r + "/#";
            await(
                    "A's view of B's routes is rebuilt without stale/#",
                    LinkedPair.WAIT_MS,
                    () -> pair.a.peerRoutes().equals(Set.of("keep/#", other)) && pair.a.online(),
                    pair);
            long convergeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
            totalConvergeMs += convergeMs;
            long incarnationAfter = pair.b.status().actors().get(0).incarnation();
            System.out.printf(
                    "PeerRestartIT restart %d: incarnation %d -> %d, A's view converged %d ms after B " + "started%n",
                    r, incarnationBefore, incarnationAfter, convergeMs);
            assertThat(incarnationAfter).as("B's new incarnation").isGreaterThan(incarnationBefore);
        }
        stop.set(true);
        publisher.join(LinkedPair.WAIT_MS);
        assertThat(failure.get()).as("publisher failure").isNull();

        // After convergence: stale publishes are matched by no route of B, so not one is forwarded.
        Mqtt probe = client(pair.a, "a-probe");
        await(
                "A's forwarding buffer is empty",
                LinkedPair.WAIT_MS,
                () -> pair.a.metrics().bufferedMessages() == 0,
                pair);
        long matchedBefore = pair.a.metrics().matched();
        long forwardedBefore = pair.a.metrics().forwarded();
        int n = 50;
        for (int i = 0; i < n; i++) {
            probe.publish("stale/after/" + i, "stale-after-" + i);
        }
        for (int i = 0; i < n; i++) {
            probe.publish("keep/after/" + i, "keep-after-" + i);
        }
        Mqtt keepNow = keep;
        await(
                "B's keep subscriber gets every keep message",
                LinkedPair.WAIT_MS,
                () -> java.util.stream.IntStream.range(0, n)
                        .allMatch(i -> keepNow.counts.containsKey("keep-after-" + i)),
                pair);
        await(
                "A counts the keep messages forwarded",
                LinkedPair.WAIT_MS,
                () -> pair.a.metrics().forwarded() >= forwardedBefore + n,
                pair);

        System.out.printf(
                "PeerRestartIT figures: restarts=%d published-during-restarts=%d "
                        + "mean-view-convergence=%d ms forwarded-after=%d matched-after=%d B-handed-stale-after=%d "
                        + "metrics(A)=%s%n",
                restarts,
                published.get(),
                totalConvergeMs / restarts,
                pair.a.metrics().forwarded() - forwardedBefore,
                pair.a.metrics().matched() - matchedBefore,
                pair.b.delivered.keySet().stream()
                        .filter(p -> p.startsWith("stale-after-"))
                        .count(),
                pair.a.metrics());
        assertThat(pair.a.metrics().matched() - matchedBefore)
                .as("messages A matched to B's routes after " + "convergence: only the keep ones")
                .isEqualTo(n);
        assertThat(pair.a.metrics().forwarded() - forwardedBefore)
                .as("forwarded after convergence")
                .isEqualTo(n);
        assertThat(pair.b.delivered.keySet()).noneMatch(p -> p.startsWith("stale-after-"));
    }
}
