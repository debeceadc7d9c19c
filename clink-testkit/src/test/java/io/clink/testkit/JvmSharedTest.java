package io.clink.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JvmSharedTest {

    private static final class Thing implements AutoCloseable {
        @Override
        public void close() {}
    }

    @Test
    void get_calledTwice_makesOneInstance() throws Exception {
        AtomicInteger made = new AtomicInteger();
        JvmShared<Thing> shared = new JvmShared<>(() -> {
            made.incrementAndGet();
            return new Thing();
        });

        Thing first = shared.get();

        assertThat(shared.get()).isSameAs(first);
        assertThat(made).hasValue(1);
    }

    @Test
    void get_factoryFailedOnce_nextCallTriesAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        JvmShared<Thing> shared = new JvmShared<>(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IOException("port taken");
            }
            return new Thing();
        });

        assertThatThrownBy(shared::get).isInstanceOf(IOException.class).hasMessage("port taken");
        assertThat(shared.get()).isNotNull();
        assertThat(calls).hasValue(2);
    }
}
