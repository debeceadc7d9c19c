package io.clink.testkit;

import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * One instance of something expensive, an embedded broker for example, shared by every test of a JVM: made by the
 * first {@link #get()}, closed when the JVM exits. Integration tests use it where starting the thing per test would
 * take seconds each.
 *
 * <p>Thread-safe: {@link #get()} is synchronized, so concurrent first calls make one instance.
 *
 * @param <T> what is shared
 */
public final class JvmShared<T extends AutoCloseable> {

    private final Callable<? extends T> factory;
    private @Nullable T instance;

    /**
     * @param factory makes the instance at the first {@link #get()}; not called again once it has succeeded
     */
    public JvmShared(Callable<? extends T> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    /**
     * The shared instance, made now if this is the first call or every call before failed.
     *
     * <p>Thread: any; blocks while another thread makes the instance.
     *
     * @return the instance, not null
     * @throws Exception what the factory threw; the next call tries again
     */
    public synchronized T get() throws Exception {
        T current = instance;
        if (current == null) {
            T made = Objects.requireNonNull(factory.call(), "the factory returned null");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAtExit(made), "clink-testkit-shared-close"));
            instance = made;
            current = made;
        }
        return current;
    }

    private static void closeAtExit(AutoCloseable shared) {
        try {
            shared.close();
        } catch (Exception e) {
            // The JVM is exiting; nobody is left to tell.
        }
    }
}
