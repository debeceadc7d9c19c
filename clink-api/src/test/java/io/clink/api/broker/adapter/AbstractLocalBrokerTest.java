package io.clink.api.broker.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.api.broker.ClusterLinkHooks;
import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.LocalSubscription;
import io.clink.api.broker.MqttMessage;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class AbstractLocalBrokerTest {

    /** An adapter with nothing but what the base asks for; only attach and detach are called here. */
    private static final class MinimalAdapter extends AbstractLocalBroker {
        MinimalAdapter(HooksHolder hooks) {
            super(hooks);
        }

        @Override
        public void forEachSubscription(Consumer<? super LocalSubscription> action) {}

        @Override
        public void deliver(MqttMessage message) {}

        @Override
        public void disconnect(LinkConnection connection, int reasonCode, String reasonString) {}
    }

    private final HooksHolder holder = new HooksHolder();
    private final MinimalAdapter adapter = new MinimalAdapter(holder);
    private final ClusterLinkHooks hooks = (ClusterLinkHooks) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {ClusterLinkHooks.class}, (proxy, method, args) -> {
                throw new AssertionError("not called by attach or detach: " + method.getName());
            });

    @Test
    void attach_putsTheHooksInTheAdaptersHolder() {
        adapter.attach(hooks);

        assertThat(holder.current()).isSameAs(hooks);
    }

    @Test
    void detach_afterAttach_emptiesTheHolder() {
        adapter.attach(hooks);

        adapter.detach();

        assertThat(holder.current()).isNull();
    }

    @Test
    void hooks_isTheHolderGiven() {
        assertThat(adapter.hooks()).isSameAs(holder);
    }

    @Test
    void constructor_nullHolder_throws() {
        assertThatThrownBy(() -> new MinimalAdapter(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("hooks");
    }
}
