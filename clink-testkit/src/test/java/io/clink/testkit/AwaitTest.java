package io.clink.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {

    @Test
    void until_conditionHoldsAfterSomePolls_returns() throws InterruptedException {
        AtomicInteger polls = new AtomicInteger();
        Await.until("three polls", Duration.ofSeconds(10), () -> polls.incrementAndGet() >= 3);
        assertThat(polls).hasValue(3);
    }

    @Test
    void until_conditionNeverHolds_failsNamingWhatAndLastState() {
        assertThatThrownBy(() -> Await.until("the link is up", Duration.ofMillis(50), () -> false, () -> "DOWN"))
                .isInstanceOf(AssertionError.class)
                .hasMessage("timed out after 50 ms waiting until the link is up; last seen: DOWN");
    }

    @Test
    void until_zeroTimeout_rejectedNamingTheValue() {
        assertThatThrownBy(() -> Await.until("x", Duration.ZERO, () -> true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT0S");
    }

    @Test
    void value_probeYieldsOnSecondPoll_returnsIt() throws InterruptedException {
        AtomicInteger polls = new AtomicInteger();
        String v = Await.value(
                "a value",
                Duration.ofSeconds(10),
                () -> polls.incrementAndGet() == 2 ? Optional.of("found") : Optional.empty());
        assertThat(v).isEqualTo("found");
    }

    @Test
    void retrying_attemptNeverYields_failsCountingAttempts() {
        assertThatThrownBy(
                        () -> Await.retrying("delivered", Duration.ofMillis(30), Duration.ofMillis(5), Optional::empty))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("timed out after 30 ms (")
                .hasMessageEndingWith("attempts) waiting until delivered");
    }

    @Test
    void retrying_attemptThrows_propagates() {
        assertThatThrownBy(() -> Await.retrying("x", Duration.ofSeconds(5), Duration.ZERO, () -> {
                    throw new IllegalStateException("boom");
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("boom");
    }
}
