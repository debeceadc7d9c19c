package io.clink.testkit;

import io.clink.api.broker.ClusterLinkHooks;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/*
 * Why this exists: a FakeLocalBroker must call the hooks as a real broker does: never under its own lock, never let a
 * throwing hook break it, and complete a disconnect issued from inside a hook only when the outermost hook call
 * returns (so the engine never sees its own onConnectionClosed re-enter an onLinkPublish in progress). That calling
 * discipline is this class.
 */
final class HookDispatcher {

    /** A hook call that answers with a code (onLinkPublish), or 0 for the void ones. */
    @FunctionalInterface
    interface HookCall {
        int run();
    }

    private final List<Throwable> failures = new ArrayList<>();
    private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);
    private final ThreadLocal<List<Runnable>> deferred = ThreadLocal.withInitial(ArrayList::new);
    private volatile @Nullable ClusterLinkHooks hooks;

    void attach(@Nullable ClusterLinkHooks hooks) {
        this.hooks = hooks;
    }

    Optional<ClusterLinkHooks> current() {
        return Optional.ofNullable(hooks);
    }

    List<Throwable> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    /** Runs {@code action} now, or, on a thread inside a hook call, when its outermost hook call returns. */
    void runOutsideHooks(Runnable action) {
        if (depth.get()[0] > 0) {
            deferred.get().add(action);
        } else {
            action.run();
        }
    }

    /** Calls the attached hooks, if any, keeping what they throw. */
    void report(Consumer<ClusterLinkHooks> call) {
        ClusterLinkHooks h = hooks;
        if (h == null) {
            return;
        }
        call(
                () -> {
                    call.accept(h);
                    return 0;
                },
                0);
    }

    /** Runs one hook call; returns its result, or {@code onFailure} if it threw (the exception is kept). */
    int call(HookCall call, int onFailure) {
        int[] d = depth.get();
        d[0]++;
        int result = onFailure;
        try {
            result = call.run();
        } catch (RuntimeException e) {
            synchronized (failures) {
                failures.add(e);
            }
        } finally {
            d[0]--;
        }
        if (d[0] == 0) {
            List<Runnable> pending = deferred.get();
            while (!pending.isEmpty()) {
                pending.remove(0).run();
            }
        }
        return result;
    }
}
