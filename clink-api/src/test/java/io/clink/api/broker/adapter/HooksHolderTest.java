package io.clink.api.broker.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.api.broker.ClusterLinkHooks;
import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import org.junit.jupiter.api.Test;

class HooksHolderTest {

    /** Hooks that are only compared by identity here. */
    private static final class NoHooks implements ClusterLinkHooks {
        @Override
        public void onSubscribe(String clientId, String subscription) {}

        @Override
        public void onUnsubscribe(String clientId, String subscription) {}

        @Override
        public void onSessionEnd(String clientId) {}

        @Override
        public void onPublish(MqttMessage message) {}

        @Override
        public int onLinkPublish(
                LinkConnection connection, String topic, byte[] payload, PublishProperties properties) {
            return 0;
        }

        @Override
        public void onConnectionClosed(LinkConnection connection) {}
    }

    @Test
    void current_nothingAttached_isNull() {
        assertThat(new HooksHolder().current()).isNull();
    }

    @Test
    void attach_secondEngine_replacesTheFirst() {
        HooksHolder holder = new HooksHolder();
        ClusterLinkHooks first = new NoHooks();
        ClusterLinkHooks second = new NoHooks();

        holder.attach(first);
        holder.attach(second);

        assertThat(holder.current()).isSameAs(second);
    }

    @Test
    void detach_afterAttach_currentIsNullAndAttachWorksAgain() {
        HooksHolder holder = new HooksHolder();
        ClusterLinkHooks hooks = new NoHooks();
        holder.attach(hooks);

        holder.detach();
        assertThat(holder.current()).isNull();

        holder.attach(hooks);
        assertThat(holder.current()).isSameAs(hooks);
    }

    @Test
    void attach_null_throwsAndKeepsTheAttachedHooks() {
        HooksHolder holder = new HooksHolder();
        ClusterLinkHooks hooks = new NoHooks();
        holder.attach(hooks);

        assertThatThrownBy(() -> holder.attach(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("hooks");
        assertThat(holder.current()).isSameAs(hooks);
    }
}
