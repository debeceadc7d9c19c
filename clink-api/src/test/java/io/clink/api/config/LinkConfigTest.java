package io.clink.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.api.transport.TlsSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LinkConfigTest {

    private static LinkConfig.Builder minimal() {
        return LinkConfig.builder()
                .name("cluster-eu-west")
                .server("emqx.eu-west.example.net:11883")
                .topics("#");
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(
            Runnable r, String option, String reason) {
        return assertThatThrownBy(r::run)
                .isInstanceOf(InvalidConfigException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(option + ": ")
                .satisfies(e -> {
                    InvalidConfigException x = (InvalidConfigException) e;
                    assertThat(x.option()).isEqualTo(option);
                    assertThat(x.reason()).isEqualTo(reason);
                });
    }

    // ---- defaults -------------------------------------------------------------------------------------------------

    @Test
    void build_minimal_appliesEveryDefault() {
        LinkConfig l = minimal().build();
        assertThat(l.enable()).isTrue();
        assertThat(l.name()).isEqualTo("cluster-eu-west");
        assertThat(l.server().host()).isEqualTo("emqx.eu-west.example.net");
        assertThat(l.server().port()).isEqualTo(11883);
        assertThat(l.clientId()).isEmpty();
        assertThat(l.username()).isEmpty();
        assertThat(l.password()).isEmpty();
        assertThat(l.ssl()).isEmpty();
        assertThat(l.tlsEnabled()).isFalse();
        assertThat(l.effectiveTls()).isEmpty();
        assertThat(l.topics()).containsExactly("#");
        assertThat(l.poolSize()).isEqualTo(8);
        assertThat(l.maxInflight()).isEqualTo(32);
        assertThat(l.tcpOptions()).isEqualTo(TcpOptions.DEFAULT);
        assertThat(l.resourceOptions()).isEqualTo(ResourceOptions.DEFAULT);
        assertThat(l.keepalive()).isEqualTo(Duration.ofSeconds(60));
        assertThat(l.actorName()).isEmpty();
        assertThat(l.reconnect()).isEqualTo(ReconnectBackoff.DEFAULT);
        assertThat(l.forwardingBufferMaxMessages()).isEqualTo(100_000);
        assertThat(l.forwardingBufferMaxBytes()).isEqualTo(256L * 1024 * 1024);
    }

    @Test
    void options_defaults_matchProtocolSection5() {
        assertThat(LinkConfig.ENABLE.defaultValue()).contains(true);
        assertThat(LinkConfig.POOL_SIZE.defaultValue()).contains(8);
        assertThat(LinkConfig.MAX_INFLIGHT.defaultValue()).contains(32);
        assertThat(LinkConfig.KEEPALIVE.defaultValue()).contains(Duration.ofSeconds(60));
        assertThat(LinkConfig.NAME.isRequired()).isTrue();
        assertThat(LinkConfig.SERVER.isRequired()).isTrue();
        assertThat(LinkConfig.TOPICS.isRequired()).isTrue();
        assertThat(LinkConfig.CLIENT_ID.isRequired()).isFalse();
        assertThat(LinkConfig.CLIENT_ID.defaultValue()).isEmpty();
    }

    @Test
    void options_everyOption_hasNameDocAndRule() {
        assertThat(LinkConfig.OPTIONS).hasSize(17);
        assertThat(LinkConfig.OPTIONS).extracting(ConfigOption::name).doesNotHaveDuplicates();
        for (ConfigOption<?> o : LinkConfig.OPTIONS) {
            assertThat(o.name()).isNotBlank();
            assertThat(o.doc()).as(o.name()).isNotBlank();
            assertThat(o.rule()).as(o.name()).isNotBlank();
            assertThat(o.isRequired() && o.defaultValue().isPresent())
                    .as(o.name())
                    .isFalse();
        }
    }

    // ---- required -------------------------------------------------------------------------------------------------

    @Test
    void build_withoutName_failsRequired() {
        assertInvalid(
                        () -> LinkConfig.builder().server("h").topics("#").build(),
                        "name",
                        InvalidConfigException.REQUIRED_FIELD)
                .hasMessage("name: is required");
    }

    @Test
    void build_withoutServer_failsRequiredNamingLink() {
        assertInvalid(
                        () -> LinkConfig.builder().name("B").topics("#").build(),
                        "server",
                        InvalidConfigException.REQUIRED_FIELD)
                .hasMessage("server: is required (link 'B')");
    }

    @Test
    void build_withoutTopics_failsRequiredNamingLink() {
        assertInvalid(
                        () -> LinkConfig.builder().name("B").server("h").build(),
                        "topics",
                        InvalidConfigException.REQUIRED_FIELD)
                .hasMessage("topics: is required (link 'B')");
    }

    @Test
    void topics_empty_isAllowedOneWayLink() {
        assertThat(minimal().build().toBuilder().topics(List.of()).build().topics())
                .isEmpty();
    }

    // ---- single-field rules -------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"B", "cluster-eu-west", "0abc", "a_b-c", "Z9"})
    void name_valid_isAccepted(String name) {
        assertThat(minimal().build().toBuilder().name(name).build().name()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-a", "_a", "a b", "a.b", "a/b", "é", "a+b"})
    void name_badCharacters_failsNamingValueAndPattern(String name) {
        assertInvalid(() -> LinkConfig.builder().name(name), "name", InvalidConfigException.INVALID_VALUE)
                .hasMessageContaining("'" + name + "'")
                .hasMessageContaining("^[0-9A-Za-z][-0-9A-Za-z_]*$");
    }

    @Test
    void name_empty_fails() {
        assertInvalid(() -> LinkConfig.builder().name(""), "name", InvalidConfigException.INVALID_VALUE)
                .hasMessage("name: must not be empty");
    }

    @Test
    void name_length_mustBeShorterThan255() {
        String ok = "a".repeat(254);
        assertThat(LinkConfig.builder().name(ok).server("h").topics().build().name())
                .hasSize(254);
        assertInvalid(() -> LinkConfig.builder().name("a".repeat(255)), "name", InvalidConfigException.INVALID_VALUE)
                .hasMessageContaining("must be shorter than 255 characters, got 255");
    }

    @ParameterizedTest
    @CsvSource({"0, 1..1024", "1025, 1..1024", "-3, 1..1024"})
    void poolSize_outOfRange_failsWithValue(int value, String range) {
        assertInvalid(() -> LinkConfig.builder().poolSize(value), "pool_size", InvalidConfigException.INVALID_VALUE)
                .hasMessage("pool_size: must be in " + range + ", got " + value);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 65536})
    void maxInflight_outOfRange_failsWithValue(int value) {
        assertInvalid(
                        () -> LinkConfig.builder().maxInflight(value),
                        "max_inflight",
                        InvalidConfigException.INVALID_VALUE)
                .hasMessage("max_inflight: must be in 1..65535, got " + value);
    }

    @Test
    void keepalive_fractionalOrTooLong_fails() {
        assertInvalid(
                        () -> LinkConfig.builder().keepalive(Duration.ofMillis(1500)),
                        "keepalive",
                        InvalidConfigException.INVALID_VALUE)
                .hasMessageContaining("whole seconds");
        assertInvalid(
                        () -> LinkConfig.builder().keepalive(Duration.ofSeconds(65536)),
                        "keepalive",
                        InvalidConfigException.INVALID_VALUE)
                .hasMessageContaining("65536s");
        assertThat(minimal().keepalive(Duration.ZERO).build().keepalive()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "tab\there", "nl\n"})
    void clientId_blankOrWhitespace_fails(String value) {
        assertInvalid(() -> LinkConfig.builder().clientId(value), "clientid", InvalidConfigException.INVALID_VALUE);
    }

    @Test
    void clientId_null_meansDefault() {
        assertThat(minimal().clientId(null).build().clientId()).isEmpty();
        assertThat(minimal().clientId("clink-us-east").build().clientId()).contains("clink-us-east");
    }

    @ParameterizedTest
    @ValueSource(strings = {"node/1", "node+1", "node#1", "node 1", ""})
    void actorName_topicUnsafe_fails(String value) {
        assertInvalid(() -> LinkConfig.builder().actorName(value), "actor_name", InvalidConfigException.INVALID_VALUE);
    }

    @Test
    void actorName_emqxStyle_isAccepted() {
        assertThat(minimal().actorName("emqx@10.0.0.1").build().actorName()).contains("emqx@10.0.0.1");
    }

    @Test
    void forwardingBuffer_limits_areChecked() {
        assertInvalid(
                        () -> LinkConfig.builder().forwardingBufferMaxMessages(0),
                        "forwarding_buffer.max_messages",
                        InvalidConfigException.INVALID_VALUE)
                .hasMessageContaining("got 0");
        assertInvalid(
                        () -> LinkConfig.builder().forwardingBufferMaxBytes(0),
                        "forwarding_buffer.max_bytes",
                        InvalidConfigException.INVALID_VALUE)
                .hasMessageContaining("got 0");
    }

    @Test
    void forwardingBufferMaxBytes_unset_followsResourceMaxBufferBytes() {
        ResourceOptions small = ResourceOptions.builder().maxBufferBytes(1024).build();
        LinkConfig l = minimal().resourceOptions(small).build();
        assertThat(l.forwardingBufferMaxBytes()).isEqualTo(1024);
        assertThat(l.toBuilder()
                        .resourceOptions(ResourceOptions.DEFAULT)
                        .build()
                        .forwardingBufferMaxBytes())
                .isEqualTo(256L * 1024 * 1024);
        assertThat(minimal()
                        .resourceOptions(small)
                        .forwardingBufferMaxBytes(77)
                        .build()
                        .forwardingBufferMaxBytes())
                .isEqualTo(77);
    }

    @Test
    void username_nul_failsAndPasswordNul_failsWithoutShowingIt() {
        assertInvalid(() -> LinkConfig.builder().username("a\u0000"), "username", InvalidConfigException.INVALID_VALUE);
        assertInvalid(
                        () -> LinkConfig.builder().password("s3cr3t\u0000"),
                        "password",
                        InvalidConfigException.INVALID_VALUE)
                .hasMessageNotContaining("s3cr3t");
    }

    // ---- topics -----------------------------------------------------------------------------------------------------

    @Test
    void topics_invalidFilters_failNamingEachAndItsRule() {
        assertInvalid(
                        () -> LinkConfig.builder().topics("ok/#", "", "$SYS/#/+", "a/b+"),
                        "topics",
                        InvalidConfigException.INVALID_TOPICS)
                .hasMessageContaining("'' (")
                .hasMessageContaining("'$SYS/#/+' ('#' must be the whole last level")
                .hasMessageContaining("'a/b+' ('+' must occupy a whole level")
                .hasMessageNotContaining("'ok/#'");
    }

    @Test
    void topics_nullElement_failsNamingIndex() {
        assertInvalid(
                        () -> LinkConfig.builder().topics(Arrays.asList("a", null)),
                        "topics",
                        InvalidConfigException.INVALID_TOPICS)
                .hasMessageContaining("null at index 1");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "$LINK/cluster/#",
                "$LINK/cluster/route/B",
                "$LINK/cluster/msg/+",
                "$LINK/#",
                "$LINK/+/route/B",
                "$LINK/+/#",
                "$LINK/cluster"
            })
    void topics_overlappingLinkControlTopics_areNotAllowed(String topic) {
        assertInvalid(() -> LinkConfig.builder().topics(topic), "topics", InvalidConfigException.INVALID_TOPICS)
                .hasMessageContaining(
                        "'" + topic + "' (not allowed: overlaps the link protocol's topics $LINK/cluster/#)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"#", "+/#", "+/cluster/#", "$SYS/#", "$LINK/other", "$LINK/clusters/#", "LINK/cluster/#"})
    void topics_notOverlappingControlTopics_areAccepted(String topic) {
        assertThat(LinkConfig.builder()
                        .topics(topic)
                        .name("B")
                        .server("h")
                        .build()
                        .topics())
                .containsExactly(topic);
    }

    @Test
    void topics_emqxRedundancyExample_namesCoveredTopics() {
        // t_duplicate_topic_filters: [t/+, g/2, t/1, t/+/#, t] gives [t/+, t/1].
        assertInvalid(
                        () -> LinkConfig.builder().topics("t/+", "g/2", "t/1", "t/+/#", "t"),
                        "topics",
                        InvalidConfigException.REDUNDANT_TOPICS)
                .hasMessageContaining("redundant topics [t/+, t/1]")
                .hasMessageContaining("'t/+' is covered by 't/+/#'")
                .hasMessageContaining("'t/1' is covered by 't/+/#'");
    }

    @Test
    void topics_exactDuplicates_namedOnce() {
        assertInvalid(() -> LinkConfig.builder().topics("t", "t"), "topics", InvalidConfigException.REDUNDANT_TOPICS)
                .hasMessageContaining("redundant topics [t]")
                .hasMessageContaining("'t' is a duplicate");
    }

    @Test
    void topics_equivalentFilters_laterOneIsRedundant() {
        assertInvalid(() -> LinkConfig.builder().topics("#", "+/#"), "topics", InvalidConfigException.REDUNDANT_TOPICS)
                .hasMessageContaining("redundant topics [+/#]")
                .hasMessageContaining("'+/#' is covered by '#'");
    }

    @Test
    void topics_disjoint_areKeptInOrder() {
        LinkConfig l = LinkConfig.builder()
                .name("B")
                .server("h")
                .topics("b/#", "a/+", "c")
                .build();
        assertThat(l.topics()).containsExactly("b/#", "a/+", "c");
    }

    @Test
    void topics_callerListChanged_configUnchanged() {
        List<String> topics = new ArrayList<>(List.of("a/#"));
        LinkConfig l = LinkConfig.builder().name("B").server("h").topics(topics).build();
        topics.add("b/#");
        assertThat(l.topics()).containsExactly("a/#");
        assertThatThrownBy(() -> l.topics().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    // ---- cross-field and builder rules ------------------------------------------------------------------------------

    @Test
    void build_optionSetTwice_failsNamingIt() {
        assertInvalid(
                        () -> minimal().poolSize(4).poolSize(5).build(),
                        "pool_size",
                        InvalidConfigException.DUPLICATE_OPTION)
                .hasMessageContaining("set more than once");
        assertInvalid(
                () -> LinkConfig.builder()
                        .name("B")
                        .server("h")
                        .topics("#")
                        .server("h2")
                        .build(),
                "server",
                InvalidConfigException.DUPLICATE_OPTION);
    }

    @Test
    void build_rejectedValueThenValid_isNotCountedTwice() {
        LinkConfig.Builder b = minimal();
        assertThatThrownBy(() -> b.poolSize(0)).isInstanceOf(InvalidConfigException.class);
        assertThat(b.poolSize(3).build().poolSize()).isEqualTo(3);
    }

    @Test
    void tls_mqttsScheme_enablesDefaultTls() {
        LinkConfig l = minimal().build().toBuilder().server("mqtts://peer:8883").build();
        assertThat(l.tlsEnabled()).isTrue();
        assertThat(l.ssl()).isEmpty();
        assertThat(l.effectiveTls()).contains(TlsSettings.builder().build());
    }

    @Test
    void tls_sslBlock_enablesTlsWithThoseSettings() {
        TlsSettings tls = TlsSettings.builder().serverName("peer.example").build();
        LinkConfig l = minimal().ssl(tls).build();
        assertThat(l.tlsEnabled()).isTrue();
        assertThat(l.ssl()).contains(tls);
        assertThat(l.effectiveTls()).contains(tls);
        assertThat(l.server().tls()).isFalse();
    }

    // ---- value semantics --------------------------------------------------------------------------------------------

    @Test
    void equals_sameOptions_isEqual() {
        LinkConfig a = minimal().password("pw").poolSize(4).build();
        LinkConfig b = minimal().password("pw").poolSize(4).build();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(minimal().password("other").poolSize(4).build());
        assertThat(a).isNotEqualTo(minimal().poolSize(4).build());
        assertThat(a.toBuilder().build()).isEqualTo(a);
        assertThat(a.toBuilder().enable(false).build()).isNotEqualTo(a);
    }

    @Test
    void toString_withPassword_neverShowsIt() {
        LinkConfig l =
                minimal().username("link-a").password("hunter2-very-secret").build();
        assertThat(l.toString())
                .doesNotContain("hunter2")
                .contains("password=******")
                .contains("username=link-a")
                .contains("name=cluster-eu-west");
        assertThat(minimal().build().toString()).contains("password=null");
    }
}
