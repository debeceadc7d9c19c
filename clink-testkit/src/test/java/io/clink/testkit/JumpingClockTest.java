package io.clink.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.api.time.Cancellable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JumpingClockTest {

    private final JumpingClock clock = new JumpingClock();

    @AfterEach
    void close() {
        clock.close();
    }

    @Test
    void jumpForward_pastTimersDeadlines_firesThemAtOnceInDeadlineOrder() throws Exception {
        List<String> fired = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(2);
        clock.scheduler()
                .schedule(
                        () -> {
                            fired.add("2h");
                            done.countDown();
                        },
                        Duration.ofHours(2));
        clock.scheduler()
                .schedule(
                        () -> {
                            fired.add("1h");
                            done.countDown();
                        },
                        Duration.ofHours(1));
        clock.scheduler().schedule(() -> fired.add("3h"), Duration.ofHours(3));

        clock.jumpForward(Duration.ofMinutes(150));

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(fired).containsExactly("1h", "2h");
    }

    @Test
    void jumpForward_movesBothClocksByTheJump() {
        long nanoBefore = clock.ticker().nanoTime();
        long wallBefore = clock.ticker().wallClockMillis();

        clock.jumpForward(Duration.ofSeconds(31));

        assertThat(clock.ticker().nanoTime() - nanoBefore)
                .isGreaterThanOrEqualTo(Duration.ofSeconds(31).toNanos());
        assertThat(clock.ticker().wallClockMillis() - wallBefore).isGreaterThanOrEqualTo(31_000);
        assertThat(clock.monotonicOffset()).isEqualTo(Duration.ofSeconds(31));
    }

    @Test
    void setWallOffset_backwards_wallClockGoesBackMonotonicDoesNot() {
        long nanoBefore = clock.ticker().nanoTime();
        long wallBefore = clock.ticker().wallClockMillis();

        clock.setWallOffset(Duration.ofHours(-1));

        assertThat(clock.ticker().wallClockMillis()).isLessThanOrEqualTo(wallBefore - 3_600_000 + 1_000);
        assertThat(clock.ticker().nanoTime()).isGreaterThanOrEqualTo(nanoBefore);
    }

    @Test
    void jumpForward_negative_rejected() {
        assertThatThrownBy(() -> clock.jumpForward(Duration.ofSeconds(-1))).hasMessageContaining("PT-1S");
    }

    @Test
    void cancel_beforeJump_taskNeverRuns() throws Exception {
        List<String> fired = new CopyOnWriteArrayList<>();
        CountDownLatch marker = new CountDownLatch(1);
        Cancellable c = clock.scheduler().schedule(() -> fired.add("cancelled"), Duration.ofHours(1));
        clock.scheduler().schedule(marker::countDown, Duration.ofHours(2));
        c.cancel();

        clock.jumpForward(Duration.ofHours(2));

        assertThat(marker.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(fired).isEmpty();
    }

    @Test
    void schedule_taskThrows_countedAndLaterTasksStillRun() throws Exception {
        CountDownLatch after = new CountDownLatch(1);
        clock.scheduler()
                .schedule(
                        () -> {
                            throw new IllegalStateException("boom");
                        },
                        Duration.ZERO);
        clock.scheduler().schedule(after::countDown, Duration.ofMillis(1));

        assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(clock.taskFailures()).isEqualTo(1);
    }

    @Test
    void schedule_afterClose_rejected() {
        clock.close();

        assertThatThrownBy(() -> clock.scheduler().schedule(() -> {}, Duration.ZERO))
                .isInstanceOf(RejectedExecutionException.class);
    }
}
