package io.clink.hivemq.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.broker.LinkConnection;
import io.clink.hivemq.internal.ConnectionState.LinkPublishVerdict;
import org.junit.jupiter.api.Test;

class ConnectionStateTest {

    private static ConnectionState linkUser(String cluster) {
        ConnectionState s = new ConnectionState(
                new LinkConnection("c-1", "clink-eu-west:routesync:1", "eu-user", "127.0.0.1", "clink"),
                true,
                true,
                true);
        s.restrictTo(cluster);
        return s;
    }

    @Test
    void checkLinkPublish_ownClustersRouteAndMsgTopics_accepted() {
        ConnectionState s = linkUser("cluster-eu-west");

        assertThat(s.checkLinkPublish("$LINK/cluster/route/cluster-eu-west")).isEqualTo(LinkPublishVerdict.ACCEPT);
        assertThat(s.checkLinkPublish("$LINK/cluster/msg/cluster-eu-west")).isEqualTo(LinkPublishVerdict.ACCEPT);
        assertThat(s.isDisconnected()).isFalse();
    }

    @Test
    void checkLinkPublish_anotherClustersTopic_disconnectsAndRefusesWhatFollows() {
        ConnectionState s = linkUser("cluster-eu-west");

        assertThat(s.checkLinkPublish("$LINK/cluster/route/cluster-ap-south"))
                .isEqualTo(LinkPublishVerdict.DISCONNECT_NOT_AUTHORIZED);
        assertThat(s.isDisconnected()).isTrue();
        assertThat(s.checkLinkPublish("$LINK/cluster/route/cluster-eu-west"))
                .as("a publish racing with the close")
                .isEqualTo(LinkPublishVerdict.REFUSE_CLOSING);
    }

    @Test
    void checkLinkPublish_topicNoClientPublishesTo_disconnects() {
        assertThat(linkUser("cluster-eu-west").checkLinkPublish("$LINK/cluster/resp/cluster-eu-west/actor"))
                .isEqualTo(LinkPublishVerdict.DISCONNECT_NOT_AUTHORIZED);
        assertThat(linkUser("cluster-eu-west").checkLinkPublish("$LINK/cluster/route/cluster-eu-west/extra"))
                .isEqualTo(LinkPublishVerdict.DISCONNECT_NOT_AUTHORIZED);
    }

    @Test
    void checkLinkPublish_otherListener_refusedWithoutDisconnect() {
        ConnectionState s = new ConnectionState(
                new LinkConnection("c-2", "plain", null, "127.0.0.1", "default"), false, true, true);

        assertThat(s.checkLinkPublish("$LINK/cluster/route/cluster-eu-west"))
                .isEqualTo(LinkPublishVerdict.REFUSE_NOT_LINK_LISTENER);
        assertThat(s.isDisconnected()).isFalse();
    }

    @Test
    void checkLinkPublish_anonymousLinkListener_everyLinkTopicPassedToClink() {
        ConnectionState s = linkUser(null);

        assertThat(s.checkLinkPublish("$LINK/cluster/route/anything")).isEqualTo(LinkPublishVerdict.ACCEPT);
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
    void connectReceived_secondCall_ignored() {
        ConnectionState s = new ConnectionState(new LinkConnection("c-5", "plain", null, null, "default"), false);
        s.connectReceived("alice", false, true);

        s.connectReceived("mallory", true, false);

        assertThat(s.link().username()).isEqualTo("alice");
        assertThat(s.cleanStart()).isFalse();
        assertThat(s.sessionEndsOnClose()).isTrue();
    }
}
