package io.clink.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterLinkConfigTest {

    private static LinkConfig link(String name) {
        return LinkConfig.builder()
                .name(name)
                .server(name.toLowerCase() + ".example:11883")
                .topics("#")
                .build();
    }

    @Test
    void build_quickStartShape_exposesLinks() {
        LinkConfig eu = LinkConfig.builder()
                .name("cluster-eu-west")
                .server("emqx.eu-west.example.net:11883")
                .clientId("clink-us-east")
                .topics("#")
                .build();
        ClusterLinkConfig c =
                ClusterLinkConfig.builder().name("cluster-us-east").link(eu).build();
        assertThat(c.name()).isEqualTo("cluster-us-east");
        assertThat(c.links()).containsExactly(eu);
        assertThat(c.link("cluster-eu-west")).contains(eu);
        assertThat(c.link("cluster-ap")).isEmpty();
        assertThat(c.clientIdOf(eu)).isEqualTo("clink-us-east");
    }

    @Test
    void build_noLinks_isValid() {
        assertThat(ClusterLinkConfig.builder().name("A").build().links()).isEmpty();
        assertThat(ClusterLinkConfig.LINKS.defaultValue()).contains(List.of());
    }

    @Test
    void clientIdOf_unset_isLocalClusterName() {
        ClusterLinkConfig c =
                ClusterLinkConfig.builder().name("A").link(link("B")).build();
        assertThat(c.clientIdOf(c.links().get(0))).isEqualTo("A");
    }

    @Test
    void build_duplicateLinkNames_failsNamingEachDuplicateOnce() {
        assertThatThrownBy(() -> ClusterLinkConfig.builder()
                        .name("A")
                        .links(List.of(link("B"), link("C"), link("B"), link("D"), link("C"), link("B")))
                        .build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage(
                        "cluster.links: duplicated cluster link names [B, C]; each link names a different remote cluster")
                .satisfies(e -> assertThat(((InvalidConfigException) e).reason())
                        .isEqualTo(InvalidConfigException.DUPLICATED_CLUSTER_LINKS));
    }

    @Test
    void build_linkNamedLikeLocalCluster_failsNamingIndex() {
        assertThatThrownBy(() -> ClusterLinkConfig.builder()
                        .name("A")
                        .link(link("B"))
                        .link(link("A"))
                        .build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage(
                        "cluster.links[1].name: 'A' is the local cluster's name; a link is named after the remote cluster")
                .satisfies(e -> assertThat(((InvalidConfigException) e).reason())
                        .isEqualTo(InvalidConfigException.LINK_TO_SELF));
    }

    @Test
    void build_withoutName_failsRequired() {
        assertThatThrownBy(() -> ClusterLinkConfig.builder().link(link("B")).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("cluster.name: is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-A", "a b", "emqx@node", "a.b"})
    void name_invalid_failsNamingValue(String name) {
        assertThatThrownBy(() -> ClusterLinkConfig.builder().name(name))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("cluster.name: ");
    }

    @Test
    void name_255Characters_fails() {
        assertThatThrownBy(() -> ClusterLinkConfig.builder().name("x".repeat(255)))
                .hasMessageContaining("shorter than 255 characters, got 255");
        assertThat(ClusterLinkConfig.builder().name("x".repeat(254)).build().name())
                .hasSize(254);
    }

    @Test
    void name_setTwice_failsAtBuild() {
        assertThatThrownBy(() -> ClusterLinkConfig.builder().name("A").name("B").build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("cluster.name: set more than once");
    }

    @Test
    void enabledLinks_disabledLink_isLeftOut() {
        LinkConfig off = link("C").toBuilder().enable(false).build();
        ClusterLinkConfig c =
                ClusterLinkConfig.builder().name("A").link(link("B")).link(off).build();
        assertThat(c.enabledLinks()).extracting(LinkConfig::name).containsExactly("B");
        assertThat(c.links()).hasSize(2);
    }

    @Test
    void actorNameOf_precedence_linkThenClusterThenNode() {
        LinkConfig own = link("B").toBuilder().actorName("emqx@10.0.0.1").build();
        LinkConfig plain = link("C");
        ClusterLinkConfig withDefault = ClusterLinkConfig.builder()
                .name("A")
                .actorName("clink@node-1")
                .link(own)
                .link(plain)
                .build();
        assertThat(withDefault.actorNameOf(own, "node-x")).isEqualTo("emqx@10.0.0.1");
        assertThat(withDefault.actorNameOf(plain, "node-x")).isEqualTo("clink@node-1");
        assertThat(ClusterLinkConfig.builder().name("A").build().actorNameOf(plain, "clink@n2"))
                .isEqualTo("clink@n2");
        String derived = ClusterLinkConfig.defaultNodeName();
        assertThat(derived).startsWith("clink@").doesNotContain("/", "+", "#", " ");
        assertThat(derived.length()).isGreaterThan("clink@".length());
    }

    @Test
    void actorName_invalid_failsNamingOption() {
        assertThatThrownBy(() -> ClusterLinkConfig.builder().actorName("a/b"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("cluster.actor_name: must not contain '/'");
    }

    @Test
    void equals_sameContent_isEqualAndToStringHidesPasswords() {
        LinkConfig secret = link("B").toBuilder().password("p@ss-word-9").build();
        ClusterLinkConfig a = ClusterLinkConfig.builder().name("A").link(secret).build();
        ClusterLinkConfig b =
                ClusterLinkConfig.builder().name("A").links(List.of(secret)).build();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a)
                .isNotEqualTo(
                        ClusterLinkConfig.builder().name("A").link(link("B")).build());
        assertThat(a.toString()).doesNotContain("p@ss-word-9").contains("******");
    }

    @Test
    void links_resultList_isImmutable() {
        ClusterLinkConfig c =
                ClusterLinkConfig.builder().name("A").link(link("B")).build();
        assertThatThrownBy(() -> c.links().add(link("C"))).isInstanceOf(UnsupportedOperationException.class);
    }
}
