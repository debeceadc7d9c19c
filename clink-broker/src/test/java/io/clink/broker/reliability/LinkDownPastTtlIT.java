package io.clink.broker.reliability;

import static io.clink.broker.reliability.LinkedPair.await;
import static io.clink.broker.reliability.LinkedPair.soak;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 3 of issue 8: the link is down longer than the actor TTL (30 s, protocol section 4.5). Instead of
 * waiting, both engines' clocks jump 35 s ahead while the proxies refuse every connection: each side's receiver
 * garbage-collects the silent peer's routes (and stops forwarding to them); when the link returns, the actors
 * handshake anew, bootstrap, and messages flow both ways again. Short: one outage; soak ({@code -Psoak}): five.
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class LinkDownPastTtlIT extends ReliabilityBase {

    private static final Duration PAST_TTL = Duration.ofSeconds(35);

    @Test
    void linkDownPastTtl_routesCollectedThenEverythingRecovers() throws Exception {
        int outages = soak() ? 5 : 1;
        pair = new LinkedPair();
        pair.startBoth();
        Mqtt aSub = client(pair.a, "a-sub").subscribe("to-a/#");
        Mqtt bSub = client(pair.b, "b-sub").subscribe("to-b/#");
        Mqtt aPub = client(pair.a, "a-pub");
        Mqtt bPub = client(pair.b, "b-pub");
        await("both views established", LinkedPair.WAIT_MS, this::established, pair);

        for (int o = 1; o <= outages; o++) {
            pair.refuse(true);
            pair.cutAll();
            await("both links down", LinkedPair.WAIT_MS, () -> !pair.a.online() && !pair.b.online(), pair);
            assertThat(pair.a.peerRoutes())
                    .as("routes kept while within the TTL")
                    .containsExactly("to-b/#");

            pair.a.clock.jumpForward(PAST_TTL);
            pair.b.clock.jumpForward(PAST_TTL);
            long jumpedAt = System.nanoTime();
            await(
                    "both sides collect the silent peer's routes",
                    LinkedPair.WAIT_MS,
                    () -> pair.a.peerRoutes().isEmpty() && pair.b.peerRoutes().isEmpty(),
                    pair);
            long gcMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - jumpedAt);
            assertThat(pair.a.metrics().remoteRoutes()).isZero();
            long matchedBefore = pair.a.metrics().matched();
            aPub.publish("to-b/while-down/" + o, "down-" + o);
            assertThat(pair.a.metrics().matched())
                    .as("nothing matched once the routes are gone")
                    .isEqualTo(matchedBefore);

            pair.heal();
            long healedAt = System.nanoTime();
            await("routes and links back after the outage", LinkedPair.WAIT_MS, this::established, pair);
            long recoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - healedAt);
            roundTrip(aPub, "to-b/after/" + o, "a-to-b-" + o, bSub);
            roundTrip(bPub, "to-a/after/" + o, "b-to-a-" + o, aSub);
            System.out.printf(
                    "LinkDownPastTtlIT outage %d: routes collected %d ms after the %d s jump, links and "
                            + "routes back %d ms after the heal; metrics(A)=%s metrics(B)=%s%n",
                    o, gcMs, PAST_TTL.toSeconds(), recoverMs, pair.a.metrics(), pair.b.metrics());
        }
        assertThat(bSub.counts).doesNotContainKey("down-1");
    }

    private boolean established() {
        return pair.a.peerRoutes().equals(Set.of("to-b/#"))
                && pair.b.peerRoutes().equals(Set.of("to-a/#"))
                && pair.a.online()
                && pair.b.online();
    }
}
