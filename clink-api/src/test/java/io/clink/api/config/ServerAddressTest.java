package io.clink.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerAddressTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource({
        "emqx.eu-west.example.net:11883, emqx.eu-west.example.net, 11883, false, emqx.eu-west.example.net:11883",
        "peer, peer, 1883, false, peer:1883",
        "10.0.0.1:1, 10.0.0.1, 1, false, 10.0.0.1:1",
        "mqtt://peer:2883, peer, 2883, false, peer:2883",
        "mqtts://peer:8883, peer, 8883, true, mqtts://peer:8883",
        "mqtts://peer, peer, 1883, true, mqtts://peer:1883",
        "MQTTS://peer:65535, peer, 65535, true, mqtts://peer:65535",
        "[::1]:11883, ::1, 11883, false, [::1]:11883",
        "mqtts://[2001:db8::7], 2001:db8::7, 1883, true, mqtts://[2001:db8::7]:1883",
        "node_1.local, node_1.local, 1883, false, node_1.local:1883",
    })
    void parse_valid_givesHostPortAndTls(String text, String host, int port, boolean tls, String canonical) {
        ServerAddress a = ServerAddress.parse(text);
        assertThat(a.host()).isEqualTo(host);
        assertThat(a.port()).isEqualTo(port);
        assertThat(a.tls()).isEqualTo(tls);
        assertThat(a.toString()).isEqualTo(canonical);
        assertThat(ServerAddress.parse(a.toString())).isEqualTo(a);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "'' | must not be empty",
                "'   ' | must not be empty",
                "a:1883,b:1883 | names more than one server",
                "ws://peer:8083 | unsupported scheme 'ws' (allowed: mqtt, mqtts)",
                "peer:0 | port 0 outside 1..65535",
                "peer:65536 | port 65536 outside 1..65535",
                "peer:abc | invalid port 'abc'",
                "peer: | invalid port ''",
                "peer:1883/path | without user info, path or query (found '/')",
                "user@peer:1883 | (found '@')",
                "::1 | more than one ':'",
                "[::1 | without its closing ']'",
                "[::1]x | not ':port'",
                "[] | invalid IPv6 literal ''",
                ":1883 | has no host",
                "pe*er | invalid host name 'pe*er'",
                "mqtt:// | has no host",
            })
    void parse_invalid_failsNamingValueAndRule(String text, String expected) {
        assertThatThrownBy(() -> ServerAddress.parse(text))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("server: ")
                .hasMessageContaining(expected)
                .satisfies(
                        e -> assertThat(((InvalidConfigException) e).option()).isEqualTo("server"));
    }

    @Test
    void parse_whitespaceInside_fails() {
        assertThatThrownBy(() -> ServerAddress.parse("peer :1883"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'peer :1883' contains whitespace");
    }

    @Test
    void of_parts_equalsParsed() {
        assertThat(ServerAddress.of("peer", 8883, true)).isEqualTo(ServerAddress.parse("mqtts://peer:8883"));
        assertThat(ServerAddress.of("::1", 1883, false)).isEqualTo(ServerAddress.parse("[::1]"));
        assertThat(ServerAddress.of("peer", 1883, false)).isNotEqualTo(ServerAddress.of("peer", 1883, true));
        assertThat(ServerAddress.of("peer", 1883, false)).hasSameHashCodeAs(ServerAddress.parse("mqtt://peer"));
    }
}
