package io.clink.hivemq.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.adapter.LinkPublishAccess;
import org.junit.jupiter.api.Test;

class ConnectionStateTest {

    // The $LINK publish rules themselves are LinkPublishAccess's, tested in clink-api; here only that the state
    // delegates to them.
    @Test
    void checkLinkPublish_otherClustersTopicForALinkUser_delegatesToTheSharedRules() {
        ConnectionState s = new ConnectionState(
                new LinkConnection("c-1", "clink-eu-west:routesync:1", "eu-user", "127.0.0.1", "clink"),
                true,
                true,
                true);
        s.restrictTo("cluster-eu-west");

        assertThat(s.checkLinkPublish("$LINK/cluster/msg/cluster-eu-west")).isEqualTo(LinkPublishAccess.Verdict.ACCEPT);
        assertThat(s.checkLinkPublish("$LINK/cluster/msg/cluster-ap-south"))
                .isEqualTo(LinkPublishAccess.Verdict.DISCONNECT_NOT_AUTHORIZED);
        assertThat(s.isDisconnected()).isTrue();
    }

    @Test
    void connectReceived_beforeAnyLinkPublish_handleGetsTheUserNameAndKeepsTheId() {
        LinkConnection before = new LinkConnection("c-3", "route-actor", null, "127.0.0.1", "clink");
        ConnectionState s = new ConnectionState(before, true);
        assertThat(s.connectKnown()).isFalse();

        s.connectReceived("eu-user", true, false);

        assertThat(s.link()).isEqualTo(new LinkConnection("c-3", "route-actor", "eu-user", "127.0.0.1", "clink"));
        assertThat(s.connectKnown()).isTrue();
        assertThat(s.cleanStart()).isTrue();
        assertThat(s.sessionEndsOnClose()).isFalse();
    }

    @Test
    void connectReceived_afterTheHandleWentToClink_handleUnchangedFactsCompleted() {
        ConnectionState s = new ConnectionState(new LinkConnection("c-4", "route-actor", null, null, "clink"), true);
        LinkConnection given = s.markLinkUsed();

        s.connectReceived("eu-user", false, true);

        assertThat(s.link()).as("clink keys its state by the handle").isEqualTo(given);
        assertThat(s.sessionEndsOnClose()).isTrue();
    }

    @Test
    void markLinkUsed_repeatedAfterFirstUse_sameHandleAndStillMarked() {
        ConnectionState s = new ConnectionState(new LinkConnection("c-6", "route-actor", null, null, "clink"), true);
        s.connectReceived("eu-user", false, true);

        LinkConnection first = s.markLinkUsed();
        LinkConnection second = s.markLinkUsed();

        assertThat(second).isSameAs(first);
        assertThat(first.username()).isEqualTo("eu-user");
        assertThat(s.linkUsed()).isTrue();
    }

    @Test
    void connectReceived_secondCall_ignored() {
        ConnectionState s = new ConnectionState(new LinkConnection("c-5", "plain", null, null, "default"), false);
        s.connectReceived("alice", false, true);

        s.connectReceived("mallory", true, false);

        assertThat(s.link().username()).isEqualTo("alice");
        assertThat(s.cleanStart()).isFalse();
        assertThat(s.sessionEndsOnClose()).isTrue();
    }
}
