package io.clink.api.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LinkClientIdsTest {

    // Expected digests computed independently with coreutils: printf '<name>' | sha1sum
    @Test
    void sha8_nodeName_firstEightLowercaseHexOfSha1() {
        assertThat(LinkClientIds.sha8("emqx@10.0.0.1")).isEqualTo("3deae32a");
        assertThat(LinkClientIds.sha8("emqx@127.0.0.1")).isEqualTo("2bd61c44");
    }

    @Test
    void routeSync_baseAndNode_followsSection22() {
        assertThat(LinkClientIds.routeSync("clink-us-east", "emqx@10.0.0.1"))
                .isEqualTo("clink-us-east:routesync:3deae32a");
    }

    @Test
    void message_baseNodeAndIndex_followsSection22() {
        assertThat(LinkClientIds.message("clA", "emqx@127.0.0.1", 1)).isEqualTo("clA:msg:2bd61c44:1");
        assertThat(LinkClientIds.message("clA", "emqx@127.0.0.1", 8)).isEqualTo("clA:msg:2bd61c44:8");
    }

    @Test
    void message_indexZero_rejectedNamingTheValue() {
        assertThatThrownBy(() -> LinkClientIds.message("clA", "n", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
    }

    @Test
    void routeSync_emptyBaseOrNode_rejected() {
        assertThatThrownBy(() -> LinkClientIds.routeSync("", "n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinkClientIds.routeSync("b", "")).isInstanceOf(IllegalArgumentException.class);
    }
}
