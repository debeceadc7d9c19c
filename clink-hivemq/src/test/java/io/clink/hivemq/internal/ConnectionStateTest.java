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
}
