package io.clink.api.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class TimeSpiTest {

    @Test
    void systemTicker_nanoTime_neverGoesBackwards() {
        Ticker t = Ticker.system();
        long prev = t.nanoTime();
        for (int i = 0; i < 1000; i++) {
            long now = t.nanoTime();
            assertThat(now - prev).isGreaterThanOrEqualTo(0);
            prev = now;
        }
        assertThat(Ticker.system()).isSameAs(t);
    }

    @Test
    void fakeTicker_wallClock_canBeOverridden() {
        Ticker fake = new Ticker() {
            @Override
            public long nanoTime() {
                return 5;
            }

            @Override
            public long wallClockMillis() {
                return 1_722_945_600_000L;
            }
        };
        assertThat(fake.nanoTime()).isEqualTo(5);
        assertThat(fake.wallClockMillis()).isEqualTo(1_722_945_600_000L);
    }

    @Test
    void systemScheduler_task_runsOnSchedulerThread() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        List<String> threads = new ArrayList<>();
        Scheduler.system()
                .schedule(
                        () -> {
                            synchronized (threads) {
                                threads.add(Thread.currentThread().getName());
                            }
                            ran.countDown();
                        },
                        Duration.ZERO);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        synchronized (threads) {
            assertThat(threads).containsExactly("clink-scheduler");
        }
    }

    @Test
    void cancel_beforeDelay_preventsRunOnce() {
        AtomicInteger runs = new AtomicInteger();
        Cancellable c = Scheduler.system().schedule(runs::incrementAndGet, Duration.ofHours(1));
        assertThat(c.cancel()).isTrue();
        assertThat(c.cancel()).isFalse();
        assertThat(runs).hasValue(0);
    }

    @Test
    void throwingTask_isLoggedAndLaterTasksStillRun() throws InterruptedException {
        Logger jul = Logger.getLogger(Scheduler.class.getName());
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        boolean parent = jul.getUseParentHandlers();
        jul.addHandler(capture);
        jul.setUseParentHandlers(false);
        ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor();
        try {
            Scheduler s = Scheduler.of(exec);
            CountDownLatch second = new CountDownLatch(1);
            s.schedule(
                    () -> {
                        throw new IllegalStateException("boom");
                    },
                    Duration.ZERO);
            s.schedule(second::countDown, Duration.ofMillis(1));
            assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(records).hasSize(1);
            assertThat(records.get(0).getLevel()).isEqualTo(Level.WARNING);
            assertThat(records.get(0).getThrown())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("boom");
        } finally {
            exec.shutdownNow();
            jul.removeHandler(capture);
            jul.setUseParentHandlers(parent);
        }
    }

    @Test
    void schedule_hugeDelay_saturatesInsteadOfOverflowing() {
        Cancellable c = Scheduler.system().schedule(() -> {}, Duration.ofSeconds(Long.MAX_VALUE));
        assertThat(c.cancel()).isTrue();
    }

    @Test
    void schedule_nullTask_throwsNamingIt() {
        assertThatThrownBy(() -> Scheduler.system().schedule(null, Duration.ZERO))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("task");
    }

    @Test
    void done_cancel_returnsFalse() {
        assertThat(Cancellable.DONE.cancel()).isFalse();
    }
}
