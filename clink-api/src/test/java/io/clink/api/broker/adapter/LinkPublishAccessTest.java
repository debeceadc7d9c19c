package io.clink.api.broker.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.api.broker.adapter.LinkPublishAccess.Verdict;
import org.junit.jupiter.api.Test;

class LinkPublishAccessTest {

    private static LinkPublishAccess linkUser(String cluster) {
        LinkPublishAccess access = new LinkPublishAccess(true);
        access.restrictTo(cluster);
        return access;
    }

    @Test
    void check_ownClustersRouteAndMsgTopics_accepted() {
        LinkPublishAccess access = linkUser("cluster-eu-west");

        assertThat(access.check("$LINK/cluster/route/cluster-eu-west")).isEqualTo(Verdict.ACCEPT);
        assertThat(access.check("$LINK/cluster/msg/cluster-eu-west")).isEqualTo(Verdict.ACCEPT);
        assertThat(access.isDisconnected()).isFalse();
    }

    @Test
    void check_anotherClustersTopic_disconnectsAndRefusesWhatFollows() {
        LinkPublishAccess access = linkUser("cluster-eu-west");

        assertThat(access.check("$LINK/cluster/route/cluster-ap-south")).isEqualTo(Verdict.DISCONNECT_NOT_AUTHORIZED);
        assertThat(access.isDisconnected()).isTrue();
        assertThat(access.check("$LINK/cluster/route/cluster-eu-west"))
                .as("a publish racing with the close")
                .isEqualTo(Verdict.REFUSE_CLOSING);
    }

    @Test
    void check_topicNoClientPublishesTo_disconnects() {
        assertThat(linkUser("cluster-eu-west").check("$LINK/cluster/resp/cluster-eu-west/actor"))
                .isEqualTo(Verdict.DISCONNECT_NOT_AUTHORIZED);
        assertThat(linkUser("cluster-eu-west").check("$LINK/cluster/route/cluster-eu-west/extra"))
                .isEqualTo(Verdict.DISCONNECT_NOT_AUTHORIZED);
    }

    @Test
    void check_otherListener_refusedWithoutDisconnect() {
        LinkPublishAccess access = new LinkPublishAccess(false);

        assertThat(access.check("$LINK/cluster/route/cluster-eu-west")).isEqualTo(Verdict.REFUSE_NOT_LINK_LISTENER);
        assertThat(access.isDisconnected()).isFalse();
    }

    @Test
    void check_unrestrictedLinkListener_everyLinkTopicAccepted() {
        LinkPublishAccess access = new LinkPublishAccess(true);

        assertThat(access.check("$LINK/cluster/route/anything")).isEqualTo(Verdict.ACCEPT);
        assertThat(access.check("$LINK/cluster/resp/x/y")).isEqualTo(Verdict.ACCEPT);
    }

    @Test
    void check_afterMarkDisconnected_refusesAsClosing() {
        LinkPublishAccess access = new LinkPublishAccess(true);

        access.markDisconnected();

        assertThat(access.check("$LINK/cluster/route/anything")).isEqualTo(Verdict.REFUSE_CLOSING);
    }

    @Test
    void restrictTo_null_liftsTheLimit() {
        LinkPublishAccess access = linkUser("cluster-eu-west");

        access.restrictTo(null);

        assertThat(access.mayPublish("$LINK/cluster/route/cluster-ap-south")).isTrue();
    }

    @Test
    void markLinkUsed_newConnection_flipsLinkUsed() {
        LinkPublishAccess access = new LinkPublishAccess(true);
        assertThat(access.linkUsed()).isFalse();

        access.markLinkUsed();

        assertThat(access.linkUsed()).isTrue();
    }

    @Test
    void check_nullTopic_throwsWithNothingChanged() {
        LinkPublishAccess access = linkUser("cluster-eu-west");

        assertThatThrownBy(() -> access.check(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("topic");
        assertThat(access.isDisconnected()).isFalse();
    }
}
