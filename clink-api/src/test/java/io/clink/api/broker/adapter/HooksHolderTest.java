package io.clink.api.broker.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.api.broker.ClusterLinkHooks;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

class HooksHolderTest {

    /** Hooks compared by identity only: no method of theirs is called here. */
    private static ClusterLinkHooks hooks() {
        return (ClusterLinkHooks) Proxy.newProxyInstance(
                HooksHolderTest.class.getClassLoader(),
                new Class<?>[] {ClusterLinkHooks.class},
                (proxy, method, args) -> {
                    throw new AssertionError("not called by the holder: " + method.getName());
                });
    }

    @Test
    void current_nothingAttached_isNull() {
        assertThat(new HooksHolder().current()).isNull();
    }

    @Test
    void attach_secondEngine_replacesTheFirst() {
        HooksHolder holder = new HooksHolder();
        ClusterLinkHooks first = hooks();
        ClusterLinkHooks second = hooks();

        holder.attach(first);
        holder.attach(second);

        assertThat(holder.current()).isSameAs(second);
    }

    @Test
    void detach_afterAttach_currentIsNullAndAttachWorksAgain() {
        HooksHolder holder = new HooksHolder();
        ClusterLinkHooks hooks = hooks();
        holder.attach(hooks);

        holder.detach();
        assertThat(holder.current()).isNull();

        holder.attach(hooks);
        assertThat(holder.current()).isSameAs(hooks);
    }

    @Test
    void attach_null_throwsAndKeepsTheAttachedHooks() {
        HooksHolder holder = new HooksHolder();
        ClusterLinkHooks hooks = hooks();
        holder.attach(hooks);

        assertThatThrownBy(() -> holder.attach(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("hooks");
        assertThat(holder.current()).isSameAs(hooks);
    }
}
