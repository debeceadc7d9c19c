package io.clink.broker.reliability;

import static io.clink.broker.reliability.LinkedPair.await;
import static io.clink.broker.reliability.LinkedPair.soak;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 5 of issue 8: A's wall clock jumps backwards across a restart. Its incarnation store remembers the last
 * incarnation, so the new one is still greater (not the smaller clock value), B accepts the handshake, rebuilds A's
 * routes and messages flow again. Short: one restart an hour back; soak ({@code -Psoak}): three, each further back.
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class ClockBackwardsIT extends ReliabilityBase {

    @Test
    void restartWithClockBackwards_incarnationStillIncreasesAndHandshakeSucceeds() throws Exception {
        int restarts = soak() ? 3 : 1;
        pair = new LinkedPair();
        pair.startBoth();
        client(pair.a, "a-sub-0").subscribe("to-a/#");
        Mqtt bPub = client(pair.b, "b-pub");
        await(
                "B learns A's route",
                LinkedPair.WAIT_MS,
                () -> pair.b.peerRoutes().equals(Set.of("to-a/#")) && pair.a.online(),
                pair);

        for (int r = 1; r <= restarts; r++) {
            long before = pair.a.status().actors().get(0).incarnation();
            pair.a.stop();
            pair.a.clock.setWallOffset(Duration.ofHours(-r));
            long clockAtRestart = pair.a.clock.ticker().wallClockMillis();
            pair.a.start();
            Mqtt aSub = client(pair.a, "a-sub-" + r).subscribe("to-a/#");
            long startedAt = System.nanoTime();
            await(
                    "A's restarted actor is ONLINE on B and B has its route again",
                    LinkedPair.WAIT_MS,
                    () -> pair.a.online() && pair.b.peerRoutes().equals(Set.of("to-a/#")),
                    pair);
            long handshakeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
            long after = pair.a.status().actors().get(0).incarnation();
            System.out.printf(
                    "ClockBackwardsIT restart %d: wall clock %d h back (%d), incarnation %d -> %d, online "
                            + "and routes back %d ms after start%n",
                    r, r, clockAtRestart, before, after, handshakeMs);

            assertThat(clockAtRestart)
                    .as("the clock really went below the old incarnation")
                    .isLessThan(before);
            assertThat(after).as("incarnation after the restart").isGreaterThan(before);
            roundTrip(bPub, "to-a/" + r, "after-restart-" + r, aSub);
        }
        List<Long> issued = pair.a.store.issued();
        for (int i = 1; i < issued.size(); i++) {
            assertThat(issued.get(i))
                    .as("incarnations issued in order: " + issued)
                    .isGreaterThan(issued.get(i - 1));
        }
    }

    /**
     * The same restart with an incarnation store that forgot everything (as a fresh temporary data directory does):
     * the clock-derived incarnation is smaller than the one B holds, B refuses the handshake, and only after B's
     * record of the old incarnation expires (TTL, here by a clock jump on B) is the new one accepted. This is why
     * the store must live in a persistent directory.
     */
    @Test
    void restartWithClockBackwardsAndForgottenStore_refusedUntilPeerTtlThenAccepted() throws Exception {
        pair = new LinkedPair();
        pair.startBoth();
        client(pair.a, "a-sub-0").subscribe("to-a/#");
        Mqtt bPub = client(pair.b, "b-pub");
        await(
                "B learns A's route",
                LinkedPair.WAIT_MS,
                () -> pair.b.peerRoutes().equals(Set.of("to-a/#")) && pair.a.online(),
                pair);
        long before = pair.a.status().actors().get(0).incarnation();

        pair.a.stop();
        pair.a.clock.setWallOffset(Duration.ofHours(-1));
        pair.a.store.forget(true);
        pair.a.start();
        Mqtt aSub = client(pair.a, "a-sub-1").subscribe("to-a/#");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() - until < 0) {
            assertThat(pair.a.online())
                    .as("A's handshake with a smaller incarnation is refused")
                    .isFalse();
            Thread.sleep(50);
        }
        pair.b.clock.jumpForward(Duration.ofSeconds(35));
        long jumpedAt = System.nanoTime();
        await(
                "B collects the old incarnation and accepts the new one",
                LinkedPair.WAIT_MS,
                () -> pair.a.online() && pair.b.peerRoutes().equals(Set.of("to-a/#")),
                pair);
        long acceptedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - jumpedAt);
        long after = pair.a.status().actors().get(0).incarnation();
        System.out.printf(
                "ClockBackwardsIT forgotten store: incarnation %d -> %d (smaller), refused until B's TTL "
                        + "passed, accepted %d ms after B's clock jumped 35 s%n",
                before, after, acceptedMs);

        assertThat(after).as("the clock-derived incarnation").isLessThan(before);
        roundTrip(bPub, "to-a/x", "after-ttl", aSub);
    }
}
