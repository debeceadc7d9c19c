package io.clink.artemis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectionRegistryTest {

    private static ConnectionState connected(ConnectionRegistry registry, String clientId) {
        ConnectionState s = new ConnectionState(registry.newConnectionId(), null, null, "mqtt", false, false, true, 5);
        s.identify(clientId);
        registry.claim(s);
        return s;
    }

    @Test
    void remove_connectionReplacedBySameClientId_notCurrentAndNewerStays() {
        ConnectionRegistry registry = new ConnectionRegistry();
        ConnectionState old = connected(registry, "a");
        ConnectionState newer = connected(registry, "a");

        assertThat(registry.remove(old))
                .as("the old connection no longer owns the session")
                .isFalse();
        assertThat(registry.isCurrent(newer)).isTrue();
        assertThat(registry.find(newer.connectionId())).isSameAs(newer);
        assertThat(registry.remove(newer)).isTrue();
        assertThat(registry.size()).isZero();
    }

    @Test
    void refuse_connectRefusedAtConnack_previousConnectionCurrentAgain() {
        ConnectionRegistry registry = new ConnectionRegistry();
        ConnectionState old = connected(registry, "a");
        ConnectionState refused =
                new ConnectionState(registry.newConnectionId(), null, null, "mqtt", false, false, true, 5);
        refused.identify("a");
        String replaced = registry.claim(refused);

        registry.refuse(refused, replaced);

        assertThat(replaced).isEqualTo(old.connectionId());
        assertThat(registry.isCurrent(old)).isTrue();
        assertThat(registry.find(refused.connectionId())).isNull();
        assertThat(registry.remove(refused)).isFalse();
    }

    @Test
    void refuse_previousConnectionAlreadyClosed_clientIdFree() {
        ConnectionRegistry registry = new ConnectionRegistry();
        ConnectionState old = connected(registry, "a");
        ConnectionState refused =
                new ConnectionState(registry.newConnectionId(), null, null, "mqtt", false, false, true, 5);
        refused.identify("a");
        String replaced = registry.claim(refused);
        registry.remove(old);

        registry.refuse(refused, replaced);

        assertThat(registry.isCurrent(old)).isFalse();
        assertThat(registry.size()).isZero();
    }

    @Test
    void newConnectionId_twoRegistries_neverEqual() {
        ConnectionRegistry one = new ConnectionRegistry();
        ConnectionRegistry two = new ConnectionRegistry();

        assertThat(one.newConnectionId()).isNotEqualTo(two.newConnectionId());
        assertThat(one.newConnectionId()).isNotEqualTo(one.newConnectionId());
    }
}
