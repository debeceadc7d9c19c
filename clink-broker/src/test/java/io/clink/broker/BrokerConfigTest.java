package io.clink.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.core.config.ClusterLinkConfigLoader;
import io.clink.core.config.ConfigLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BrokerConfigTest {

    @TempDir
    Path dir;

    @Test
    void load_emqxQuickStartShape_defaultListenerOnAllInterfaces() throws IOException {
        Path f = Files.writeString(dir.resolve("us.conf"), """
                cluster {
                  name = "cluster-us-east"
                  links = [ { name = "cluster-eu-west", server = "emqx.eu-west.myinfra.net:11883",
                              clientid = "clink-us-east", topics = ["#"] } ]
                }
                listeners {
                  tcp.clink {
                    bind = 11883
                  }
                }
                """);

        BrokerConfig c = BrokerConfig.load(f);

        assertThat(c.cluster().name()).isEqualTo("cluster-us-east");
        assertThat(c.mqtt()).isEqualTo(new BrokerConfig.Bind("0.0.0.0", 1883));
        assertThat(c.link()).isEqualTo(new BrokerConfig.Bind("0.0.0.0", 11883));
        assertThat(c.file()).isEqualTo(f.toString());
    }

    @Test
    void load_exampleFiles_matchTheDemo() {
        Path examples = Path.of("..", "examples");

        assertThat(BrokerConfig.load(examples.resolve("cluster-us-east.conf")))
                .usingRecursiveComparison().ignoringFields("file")
                .isEqualTo(Demo.config("x", Demo.usEast(Demo.Ports.DEFAULT)));
        assertThat(BrokerConfig.load(examples.resolve("cluster-eu-west.conf")))
                .usingRecursiveComparison().ignoringFields("file")
                .isEqualTo(Demo.config("x", Demo.euWest(Demo.Ports.DEFAULT, List.of("#"))));
        assertThat(BrokerConfig.load(examples.resolve("cluster-eu-west-asymmetric.conf")))
                .usingRecursiveComparison().ignoringFields("file")
                .isEqualTo(Demo.config("x", Demo.euWest(Demo.Ports.DEFAULT, List.of())));
    }

    @Test
    void demo_eachServerIsTheOtherClustersLinkListener() {
        Demo.Ports p = new Demo.Ports(2001, 2002, 2003, 2004);
        BrokerConfig us = Demo.config("us", Demo.usEast(p));
        BrokerConfig eu = Demo.config("eu", Demo.euWest(p, List.of("#")));

        assertThat(us.cluster().links().get(0).name()).isEqualTo(eu.cluster().name());
        assertThat(eu.cluster().links().get(0).name()).isEqualTo(us.cluster().name());
        assertThat(us.cluster().links().get(0).server().port()).isEqualTo(eu.link().port());
        assertThat(eu.cluster().links().get(0).server().port()).isEqualTo(us.link().port());
        assertThat(us.mqtt().port()).isEqualTo(2001);
        assertThat(eu.mqtt().port()).isEqualTo(2003);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            1883                | 0.0.0.0   | 1883
            127.0.0.1:11883     | 127.0.0.1 | 11883
            localhost:1         | localhost | 1
            [::1]:1884          | ::1       | 1884
            ' 65535 '           | 0.0.0.0   | 65535
            """)
    void bindParse_portOrHostPort_givesAddress(String text, String host, int port) {
        assertThat(BrokerConfig.Bind.parse(text)).isEqualTo(new BrokerConfig.Bind(host, port));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "65536", "host:", ":1883", "a b:1", "::1:1883", "[::1]", "x:y", "1883x"})
    void bindParse_invalid_givesNull(String text) {
        assertThat(BrokerConfig.Bind.parse(text)).isNull();
    }

    @Test
    void bind_toString_bracketsIpv6() {
        assertThat(new BrokerConfig.Bind("::1", 5)).hasToString("[::1]:5");
        assertThat(new BrokerConfig.Bind("127.0.0.1", 5)).hasToString("127.0.0.1:5");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            listeners { tcp.clink { bind = 70000 } }                               | listeners.tcp.clink.bind = 70000 | PORT or HOST:PORT
            listeners { tcp.clink { bind = "a b" } }                               | listeners.tcp.clink.bind = "a b" | PORT or HOST:PORT
            listeners { tcp.default { bind = 1883 } }                              | listeners = {                    | needs a link listener: tcp.clink
            listeners { tcp.clink { } }                                            | listeners.tcp.clink.bind: is required |
            listeners { tcp.clink { bind = 1883 } }                                | listeners.tcp.clink.bind = 1883  | same address
            listeners { tcp.clink { bind = 11883 }, tcp.other { bind = 1 } }      | listeners.tcp.other              | unknown key 'other'
            listeners { tcp.clink { bind = 11883, bnid = 2 } }                     | listeners.tcp.clink.bnid         | did you mean 'bind'?
            listeners { tcp.clink { bind = 11883 }, ssl.default { bind = 8883 } }  | listeners.ssl.default            | (ssl.clink) only
            listeners { tcp.clink { bind = 11883, enable = false } }               | listeners.tcp.clink.enable       | cannot be disabled
            listeners { tcp.clink { bind = 11883, authentication = [] } }          | listeners.tcp.clink.authentication | lists no user
            listeners { tcp.clink { bind = 11883, authentication = [ { username = u, cluster = c } ] } } | listeners.tcp.clink.authentication[0].password: is required |
            listeners { tcp.clink { bind = 11883, authentication = [ { username = u, password = p, cluster = "c/x" } ] } } | listeners.tcp.clink.authentication[0].cluster = "c/x" | cluster name
            listeners { tcp.clink { bind = 11883, authentication = [ { username = u, password = p, cluster = c, role = x } ] } } | listeners.tcp.clink.authentication[0].role | unknown key
            listeners { tcp.clink { bind = 11883, authentication = [ { username = u, password = p, cluster = c }, { username = u, password = q, cluster = d } ] } } | listeners.tcp.clink.authentication[1].username = "u" | listed twice
            listeners = 5                                                          | listeners = 5                    | must be an object
            listenerz { }                                                          | listenerz                        | did you mean 'listeners'?
            """)
    void from_invalidListeners_namesOriginPathAndValue(String listeners, String shown, String rule) {
        String doc = "cluster { name = a, links = [] }\n" + listeners + "\n";

        assertThatThrownBy(() -> BrokerConfig.from(ClusterLinkConfigLoader.parseString(doc, "b.conf"), "b.conf", dir))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageStartingWith("b.conf:")
                .hasMessageContaining(shown)
                .hasMessageContaining(rule == null ? "" : rule);
    }

    @Test
    void from_authenticationList_givesLinkUsers() throws IOException {
        Path secret = Files.writeString(dir.resolve("eu.secret"), "s3cret\n");
        String doc = """
                cluster { name = a }
                listeners {
                  tcp.clink {
                    bind = 11883
                    authentication = [
                      { username = "clink-eu", password = "file://eu.secret", cluster = "cluster-eu-west" }
                      { username = "clink-ap", password = "p", cluster = "cluster-ap" }
                    ]
                  }
                }
                """;

        BrokerConfig c = BrokerConfig.from(ClusterLinkConfigLoader.parseString(doc, "e.conf"), "e.conf", dir);

        assertThat(c.linkUsers()).containsExactly(
                new io.clink.hivemq.LinkAuthenticator.LinkUser("clink-eu", "s3cret", "cluster-eu-west"),
                new io.clink.hivemq.LinkAuthenticator.LinkUser("clink-ap", "p", "cluster-ap"));
        assertThat(secret).exists();
    }

    @Test
    void from_noAuthentication_givesNoLinkUsers() {
        String doc = "cluster { name = a }\nlisteners { tcp.clink { bind = 11883 } }";

        assertThat(BrokerConfig.from(ClusterLinkConfigLoader.parseString(doc, "f.conf"), "f.conf", dir).linkUsers())
                .isEmpty();
    }

    @Test
    void from_missingListeners_namesIt() {
        assertThatThrownBy(() -> BrokerConfig.from(
                ClusterLinkConfigLoader.parseString("cluster { name = a }", "c.conf"), "c.conf", dir))
                .hasMessageContaining("listeners: is required");
    }

    @Test
    void from_clusterError_isReportedFirst() {
        String doc = "cluster { name = a, links = [ { name = b, server = h, topics = [\"a/#/b\"] } ] }\n"
                + "listeners { tcp.clink { bind = 11883 } }";

        assertThatThrownBy(() -> BrokerConfig.from(ClusterLinkConfigLoader.parseString(doc, "d.conf"), "d.conf", dir))
                .hasMessageContaining("cluster.links[0].topics");
    }

    @Test
    void demoPorts_parse_checksFourPorts() {
        assertThat(Demo.Ports.parse("1,2,3,4")).isEqualTo(new Demo.Ports(1, 2, 3, 4));
        assertThatThrownBy(() -> Demo.Ports.parse("1,2,3")).hasMessageContaining("four ports");
        assertThatThrownBy(() -> Demo.Ports.parse("1,2,3,70000")).hasMessageContaining("'70000' is not a port");
    }
}
