package io.clink.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServerListTest {

    @Test
    void parse_single_givesOneEndpointAndEchoesAsGiven() {
        ServerList l = ServerList.parse("peer");
        assertThat(l.endpoints()).containsExactly(ServerAddress.of("peer", 1883, false));
        assertThat(l.toString()).isEqualTo("peer:1883");
    }

    @Test
    void parse_severalWithBlanksAndIpv6_keepsOrderAndDefaultPort() {
        ServerList l = ServerList.parse("a:1, [::1]:2 ,b");
        assertThat(l.endpoints())
                .containsExactly(
                        ServerAddress.of("a", 1, false),
                        ServerAddress.of("::1", 2, false),
                        ServerAddress.of("b", 1883, false));
        assertThat(l.toString()).isEqualTo("a:1,[::1]:2,b:1883");
        assertThat(ServerList.parse(l.toString())).isEqualTo(l);
    }

    @Test
    void parse_emptyEntry_namesPosition() {
        assertThatThrownBy(() -> ServerList.parse("a:1,,b:2"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("empty entry at position 2");
    }

    @Test
    void parse_badPort_namesEntry() {
        assertThatThrownBy(() -> ServerList.parse("a:1,b:70000"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("b:70000");
    }

    @Test
    void parse_duplicate_namesEntry() {
        assertThatThrownBy(() -> ServerList.parse("a:1883,b,a"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("names 'a' more than once");
    }

    @Test
    void parse_mixedSchemes_namesEntry() {
        assertThatThrownBy(() -> ServerList.parse("mqtts://a,mqtt://b"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("mqtt://b");
    }

    @Test
    void parse_blank_isRefused() {
        assertThatThrownBy(() -> ServerList.parse(" ")).isInstanceOf(InvalidConfigException.class);
    }
}
