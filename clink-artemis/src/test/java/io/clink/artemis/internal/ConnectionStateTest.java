package io.clink.artemis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConnectionStateTest {

    private static ConnectionState state(int version) {
        return new ConnectionState("c-1", "user", "127.0.0.1", "link", true, true, true, version);
    }

    @Test
    void resolveTopic_aliasSetThenUsed_returnsTheSetTopic() {
        ConnectionState s = state(5);

        assertThat(s.resolveTopic("a/b", 3)).isEqualTo("a/b");
        assertThat(s.resolveTopic("", 3)).isEqualTo("a/b");
        assertThat(s.resolveTopic("c/d", 3)).isEqualTo("c/d");
        assertThat(s.resolveTopic("", 3)).isEqualTo("c/d");
    }

    @Test
    void aliasAllowed_outsideGrantedMaximum_refused() {
        ConnectionState s = state(5);
        s.topicAliasMaximum(10);

        assertThat(s.aliasAllowed(0)).isFalse();
        assertThat(s.aliasAllowed(1)).isTrue();
        assertThat(s.aliasAllowed(10)).isTrue();
        assertThat(s.aliasAllowed(11)).isFalse();
    }

    @Test
    void aliasAllowed_noneGranted_everyAliasRefused() {
        assertThat(state(5).aliasAllowed(1)).isFalse();
    }

    @Test
    void resolveTopic_unknownAlias_returnsNull() {
        assertThat(state(5).resolveTopic("", 9)).isNull();
    }

    @Test
    void resolveTopic_noAlias_returnsTopicAsSent() {
        assertThat(state(5).resolveTopic("x/y", null)).isEqualTo("x/y");
    }

    @Test
    void linkQos2_duplicateBeforeRelease_detectedAndReleasedOnce() {
        ConnectionState s = state(5);

        assertThat(s.linkQos2Received(7)).isTrue();
        assertThat(s.linkQos2Received(7)).as("DUP of a packet awaiting PUBREL").isFalse();
        assertThat(s.linkQos2Released(7)).isTrue();
        assertThat(s.linkQos2Released(7)).isFalse();
        assertThat(s.linkQos2Received(7)).as("packet id reusable after PUBCOMP").isTrue();
    }

    @Test
    void subackRefusal_byVersion_notAuthorizedForMqtt5FailureForMqtt311() {
        assertThat(state(5).subackRefusal()).isEqualTo(0x87);
        assertThat(state(4).subackRefusal()).isEqualTo(0x80);
    }

    @Test
    void link_beforeIdentify_throwsNamingTheConnection() {
        ConnectionState s = state(5);

        assertThat(s.identified()).isFalse();
        assertThatThrownBy(s::link).hasMessageContaining("c-1");
        s.identify("client-a");
        assertThat(s.link().clientId()).isEqualTo("client-a");
        assertThat(s.link().listener()).isEqualTo("link");
        assertThat(s.link().username()).isEqualTo("user");
    }
}
