package io.clink.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.config.DispatchStrategy;
import io.clink.api.config.LinkConfig;
import io.clink.api.config.ReconnectBackoff;
import io.clink.api.config.ResourceOptions;
import io.clink.api.config.TcpKeepalive;
import io.clink.api.config.TcpOptions;
import io.clink.api.transport.TlsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterLinkConfigLoaderTest {

    /** EMQX "Quick Start with Cluster Linking", first cluster, exactly as published (docs.emqx.com, EMQX 5.8+). */
    private static final String QUICK_START_US_EAST = """
            # Cluster Linking configuration
            cluster {
              # This cluster's name
              name = "cluster-us-east"
              links = [
                {
                  # Name of the second cluster
                  name = "cluster-eu-west"
                  # Endpoint of the second cluster's MQTT listener
                  server = "emqx.us-east.myinfra.net:11883"
                  clientid = "clink-us-east"
                  topics = ["#"]
                }
              ]
            }

            # Dedicated listener for Cluster Linking connections
            listeners {
              tcp.clink {
                bind = 11883
              }
            }
            """;

    /** The quick start's second cluster, the same shape mirrored. */
    private static final String QUICK_START_EU_WEST = """
            # Cluster Linking configuration
            cluster {
              # This cluster's name
              name = "cluster-eu-west"
              links = [
                {
                  # Name of the first cluster
                  name = "cluster-us-east"
                  # Endpoint of the first cluster's MQTT listener
                  server = "emqx.eu-west.myinfra.net:11883"
                  clientid = "clink-eu-west"
                  topics = ["#"]
                }
              ]
            }

            # Dedicated listener for Cluster Linking connections
            listeners {
              tcp.clink {
                bind = 11883
              }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void parse_emqxQuickStartUsEast_givesOneLinkWithDefaults() {
        ClusterLinkConfig c = ClusterLinkConfigLoader.parse(QUICK_START_US_EAST);

        assertThat(c.name()).isEqualTo("cluster-us-east");
        assertThat(c.links()).hasSize(1);
        LinkConfig l = c.links().get(0);
        assertThat(l.name()).isEqualTo("cluster-eu-west");
        assertThat(l.server().host()).isEqualTo("emqx.us-east.myinfra.net");
        assertThat(l.server().port()).isEqualTo(11883);
        assertThat(l.clientId()).contains("clink-us-east");
        assertThat(l.topics()).containsExactly("#");
        LinkConfig expected = LinkConfig.builder()
                .name("cluster-eu-west")
                .server("emqx.us-east.myinfra.net:11883")
                .clientId("clink-us-east")
                .topics("#")
                .build();
        assertThat(l).isEqualTo(expected);
    }

    @Test
    void parse_emqxQuickStartEuWest_mirrorsUsEast() {
        ClusterLinkConfig c = ClusterLinkConfigLoader.parse(QUICK_START_EU_WEST);

        assertThat(c.name()).isEqualTo("cluster-eu-west");
        assertThat(c.links()).singleElement().satisfies(l -> {
            assertThat(l.name()).isEqualTo("cluster-us-east");
            assertThat(l.clientId()).contains("clink-eu-west");
            assertThat(l.topics()).containsExactly("#");
        });
    }

    @Test
    void parse_asymmetricEmptyTopics_givesOneWayLink() {
        ClusterLinkConfig c =
                ClusterLinkConfigLoader.parse(QUICK_START_EU_WEST.replace("topics = [\"#\"]", "topics = []"));

        assertThat(c.links().get(0).topics()).isEmpty();
    }

    @Test
    void parse_everyOption_setsEveryField() throws IOException {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "ca");
        Path cert = Files.writeString(dir.resolve("client.pem"), "cert");
        Path key = Files.writeString(dir.resolve("client.key"), "key");
        String hocon = """
                cluster {
                  name = us-east
                  actor_name = "node-1"
                  links = [
                    {
                      enable = true
                      name = eu-west
                      server = "mqtts://eu.example.net:8883"
                      clientid = "clink-us-east-"
                      username = "clink-user:us-east"
                      password = "s3cret"
                      topics = ["global/#", "fwd/+/x"]
                      pool_size = 4
                      retry_interval = 30s
                      max_inflight = 64
                      keepalive = 2m
                      actor_name = "actor-a"
                      ssl {
                        enable = true
                        cacertfile = "ca.pem"
                        certfile = "client.pem"
                        keyfile = "client.key"
                        verify = verify_none
                        server_name_indication = "eu.internal"
                        versions = ["tlsv1.3"]
                      }
                      tcp_opts { active_n = 20, nodelay = true, sndbuf = 64KB, recbuf = "1MB", buffer = 4096,
                                 keepalive = "60,10,5", delay_send = false }
                      resource_opts {
                        worker_pool_size = 2
                        dispatch_strategy = random
                        health_check_interval = 5s
                        request_ttl = 1m
                        inflight_window = 10
                        max_buffer_bytes = 256MB
                        start_timeout = 500ms
                      }
                      reconnect { initial_delay = 200ms, max_delay = 15s, jitter = 0.5 }
                      forwarding_buffer { max_messages = 1000, max_bytes = 1GB }
                    },
                    { name = ap-south, server = "ap.example.net", topics = [], enable = false }
                  ]
                }
                """;

        ClusterLinkConfig c = ClusterLinkConfigLoader.parse(hocon, "all.conf", dir);

        assertThat(c.name()).isEqualTo("us-east");
        assertThat(c.actorName()).contains("node-1");
        assertThat(c.enabledLinks()).extracting(LinkConfig::name).containsExactly("eu-west");
        LinkConfig l = c.links().get(0);
        assertThat(l.server().tls()).isTrue();
        assertThat(l.server().port()).isEqualTo(8883);
        assertThat(l.clientId()).contains("clink-us-east-");
        assertThat(l.username()).contains("clink-user:us-east");
        assertThat(l.password()).contains("s3cret");
        assertThat(l.topics()).containsExactly("global/#", "fwd/+/x");
        assertThat(l.poolSize()).isEqualTo(4);
        assertThat(l.maxInflight()).isEqualTo(64);
        assertThat(l.keepalive()).isEqualTo(Duration.ofMinutes(2));
        assertThat(l.actorName()).contains("actor-a");
        assertThat(l.ssl())
                .contains(TlsSettings.builder()
                        .caFile(ca)
                        .certFile(cert)
                        .keyFile(key)
                        .verifyPeer(false)
                        .serverName("eu.internal")
                        .protocols(List.of("TLSv1.3"))
                        .build());
        assertThat(l.tcpOptions())
                .isEqualTo(TcpOptions.builder()
                        .nodelay(true)
                        .sndbuf(64 * 1024)
                        .recbuf(1024 * 1024)
                        .keepalive(new TcpKeepalive(60, 10, 5))
                        .build());
        assertThat(l.resourceOptions())
                .isEqualTo(ResourceOptions.builder()
                        .dispatchStrategy(DispatchStrategy.RANDOM)
                        .requestTtl(Duration.ofMinutes(1))
                        .inflightWindow(10)
                        .maxBufferBytes(256L * 1024 * 1024)
                        .build());
        assertThat(l.reconnect()).isEqualTo(new ReconnectBackoff(Duration.ofMillis(200), Duration.ofSeconds(15), 0.5));
        assertThat(l.forwardingBufferMaxMessages()).isEqualTo(1000);
        assertThat(l.forwardingBufferMaxBytes()).isEqualTo(1L << 30);
        LinkConfig disabled = c.links().get(1);
        assertThat(disabled.enable()).isFalse();
        assertThat(disabled.server().port()).isEqualTo(1883);
    }

    @Test
    void parse_emqxConfigurationExample_withSslAndCredentials() throws IOException {
        Files.createDirectories(dir.resolve("etc/certs/client"));
        Files.writeString(dir.resolve("etc/certs/client/client.pem"), "c");
        Files.writeString(dir.resolve("etc/certs/client/client.key"), "k");
        Files.writeString(dir.resolve("etc/certs/client/ca.pem"), "a");
        String hocon = """
                cluster {
                  name = "emqx-us-east"
                  links = [
                    {
                      name = "emqx-eu-west"
                      server = "emqx.us-east.myinfra.net"
                      username = "clink-user:us-east"
                      password = "clink-password"
                      clientid = "clink-us-east"
                      topics = ["global/#", "fwd/#", "cluster/+/status"]
                      ssl {
                        enable = true
                        verify = verify_peer
                        certfile = "etc/certs/client/client.pem"
                        keyfile = "etc/certs/client/client.key"
                        cacertfile = "etc/certs/client/ca.pem"
                      }
                    }
                    {
                      name = "emqx-ap-southeast"
                      server = "emqx.ap-southeast.myinfra.net"
                      topics = ["global/#"]
                      enable = false
                    }
                  ]
                }
                """;

        ClusterLinkConfig c = ClusterLinkConfigLoader.parse(hocon, "emqx.conf", dir);

        LinkConfig l = c.links().get(0);
        assertThat(l.tlsEnabled()).isTrue();
        assertThat(l.ssl().orElseThrow().verifyPeer()).isTrue();
        assertThat(l.ssl().orElseThrow().caFile()).contains(dir.resolve("etc/certs/client/ca.pem"));
        assertThat(c.links().get(1).enable()).isFalse();
    }

    @Test
    void parse_sslEnableFalse_meansPlainTcp() {
        ClusterLinkConfig c = ClusterLinkConfigLoader.parse(link("ssl { enable = false, cacertfile = \"/nope.pem\" }"));

        assertThat(c.links().get(0).tlsEnabled()).isFalse();
    }

    @Test
    void parse_sslWithoutOptions_usesClinkDefaults() {
        ClusterLinkConfig c = ClusterLinkConfigLoader.parse(link("ssl { enable = true }"));

        TlsSettings tls = c.links().get(0).ssl().orElseThrow();
        assertThat(tls.verifyPeer()).isTrue();
        assertThat(tls.protocols()).isEqualTo(TlsSettings.SUPPORTED_PROTOCOLS);
    }

    @Test
    void load_passwordFromFileUri_readsFileWithoutTrailingNewline() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "from-file\n");
        Path conf =
                Files.writeString(dir.resolve("c.conf"), link("password = \"file://" + secret.toAbsolutePath() + "\""));

        ClusterLinkConfig c = ClusterLinkConfigLoader.load(conf);

        assertThat(c.links().get(0).password()).contains("from-file");
    }

    @Test
    void load_relativePasswordFile_resolvesAgainstConfigDirectory() throws IOException {
        Files.writeString(dir.resolve("pw"), "rel");
        Path conf = Files.writeString(dir.resolve("c.conf"), link("password = \"file://pw\""));

        assertThat(ClusterLinkConfigLoader.load(conf).links().get(0).password()).contains("rel");
    }

    @Test
    void load_missingPasswordFile_namesFileButNotContent() throws IOException {
        Path conf = Files.writeString(dir.resolve("c.conf"), link("password = \"file://missing.txt\""));

        assertThatThrownBy(() -> ClusterLinkConfigLoader.load(conf))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageContaining(conf.toString())
                .hasMessageContaining("cluster.links[0].password")
                .hasMessageContaining("missing.txt")
                .hasMessageContaining("******");
    }

    @Test
    void load_environmentSubstitution_isResolved() {
        String hocon = "cluster { name = us, name = ${?CLINK_TEST_UNSET_VARIABLE_XYZ}, links = [] }";

        assertThat(ClusterLinkConfigLoader.parse(hocon).name()).isEqualTo("us");
    }

    @Test
    void parse_noLinks_givesEmptyList() {
        assertThat(ClusterLinkConfigLoader.parse("cluster { name = solo }").links())
                .isEmpty();
    }

    @Test
    void parse_resourceOptsRequestTimeoutAlias_setsRequestTtl() {
        ClusterLinkConfig c = ClusterLinkConfigLoader.parse(link("resource_opts { request_timeout = 10s }"));

        assertThat(c.links().get(0).resourceOptions().requestTtl()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void parse_ignoredEmqxOptions_areAccepted() {
        String hocon = """
                cluster {
                  name = a
                  discovery_strategy = manual
                  autoclean = 24h
                  links = [ { name = b, server = "h:1", topics = ["t"], ps_actor_incarnation = 3,
                              resource_opts { health_check_timeout = 60s },
                              ssl { enable = true, depth = 10, reuse_sessions = true } } ]
                }
                """;

        assertThat(ClusterLinkConfigLoader.parse(hocon).links()).hasSize(1);
    }

    @Test
    void parse_durationWithUnits_setsRequestTtl() {
        ClusterLinkConfig c = ClusterLinkConfigLoader.parse(link("resource_opts { request_ttl = 1m30s }"));

        assertThat(c.links().get(0).resourceOptions().requestTtl()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void parse_bareIntegerDuration_isMilliseconds() {
        ClusterLinkConfig c = ClusterLinkConfigLoader.parse(link("resource_opts { request_ttl = 250 }"));

        assertThat(c.links().get(0).resourceOptions().requestTtl()).isEqualTo(Duration.ofMillis(250));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            retry_interval = 30s                      | cluster.links[0].retry_interval           | section 4.4
            tcp_opts { active_n = 20 }                | cluster.links[0].tcp_opts.active_n        | Erlang
            tcp_opts { buffer = 4096 }                | cluster.links[0].tcp_opts.buffer          | Erlang
            tcp_opts { delay_send = true }            | cluster.links[0].tcp_opts.delay_send      | Erlang
            resource_opts { worker_pool_size = 4 }    | cluster.links[0].resource_opts.worker_pool_size | pool_size
            resource_opts { health_check_interval = 5s } | cluster.links[0].resource_opts.health_check_interval | nothing is polled
            resource_opts { start_timeout = 1s }      | cluster.links[0].resource_opts.start_timeout | never waits
            """)
    void read_acceptedAndIgnoredOption_warnsNamingTheKeyAndKeepsNothing(String body, String path, String reason) {
        List<String> warnings = new ArrayList<>();
        ConfigSection root =
                ClusterLinkConfigLoader.parseString(link(body), "x.conf").root("x.conf", dir, warnings::add);
        ConfigSection linkSection = root.section("cluster")
                .orElseThrow()
                .sections("links")
                .orElseThrow()
                .get(0);

        LinkConfig l = LinkSectionReader.read(linkSection);

        assertThat(warnings)
                .singleElement()
                .asString()
                .contains(path + " is ignored: ")
                .contains(reason);
        LinkConfig plain = LinkSectionReader.read(ClusterLinkConfigLoader.parseString(link(""), "x.conf")
                .root("x.conf", dir, w -> {})
                .section("cluster")
                .orElseThrow()
                .sections("links")
                .orElseThrow()
                .get(0));
        assertThat(l).as("an ignored option changes nothing in the link").isEqualTo(plain);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            1024     | 1024
            1KB      | 1024
            64kb     | 65536
            256MB    | 268435456
            1GB      | 1073741824
            2MiB     | 2097152
            10B      | 10
            """)
    void parse_byteSizes_are1024Based(String text, long bytes) {
        ClusterLinkConfig c = ClusterLinkConfigLoader.parse(link("forwarding_buffer { max_bytes = \"" + text + "\" }"));

        assertThat(c.links().get(0).forwardingBufferMaxBytes()).isEqualTo(bytes);
    }

    // ---- errors: every message names the origin, the path and the value ----

    @Test
    void load_missingFile_namesFile() {
        Path missing = dir.resolve("nope.conf");

        assertThatThrownBy(() -> ClusterLinkConfigLoader.load(missing))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("no such configuration file");
    }

    @Test
    void load_syntaxError_namesFileAndLine() throws IOException {
        Path conf = Files.writeString(dir.resolve("bad.conf"), "cluster {\n  name = \"x\"\n  links = [ {\n}\n");

        assertThatThrownBy(() -> ClusterLinkConfigLoader.load(conf))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageStartingWith(conf + ":")
                .hasMessageContaining("invalid HOCON");
    }

    @Test
    void load_unresolvedSubstitution_isReported() {
        assertThatThrownBy(() -> ClusterLinkConfigLoader.parse("cluster { name = ${CLINK_TEST_UNSET_VARIABLE_XYZ} }"))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageContaining("CLINK_TEST_UNSET_VARIABLE_XYZ");
    }

    @Test
    void load_invalidTopic_namesFileLinePathAndValue() throws IOException {
        Path conf = Files.writeString(dir.resolve("topics.conf"), """
                cluster {
                  name = a
                  links = [
                    { name = b, server = "h:1",
                      topics = ["ok/#", "bad/#/x"] }
                  ]
                }
                """);

        assertThatThrownBy(() -> ClusterLinkConfigLoader.load(conf))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageStartingWith(conf + ":5: cluster.links[0].topics = [\"ok/#\",\"bad/#/x\"]: ")
                .hasMessageContaining("invalid topics")
                .satisfies(e -> assertThat(((ConfigLoadException) e).path()).isEqualTo("cluster.links[0].topics"))
                .satisfies(e -> assertThat(((ConfigLoadException) e).origin()).isEqualTo(conf + ":5"));
    }

    @Test
    void parse_unknownLinkKey_isRejectedWithSuggestion() {
        assertThatThrownBy(() -> ClusterLinkConfigLoader.parse(link("topic = [\"x\"]")))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageContaining("cluster.links[0].topic")
                .hasMessageContaining("unknown key 'topic'")
                .hasMessageContaining("did you mean 'topics'?");
    }

    @Test
    void parse_unknownClusterKey_isRejected() {
        assertThatThrownBy(() -> ClusterLinkConfigLoader.parse("cluster { name = a, linkz = [] }"))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageContaining("cluster.linkz")
                .hasMessageContaining("did you mean 'links'?");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ssl { enable = true, verfy = verify_peer }        | cluster.links[0].ssl.verfy        | did you mean 'verify'?
            tcp_opts { nodelayy = true }                      | cluster.links[0].tcp_opts.nodelayy | did you mean 'nodelay'?
            resource_opts { request_tll = 1s }                | cluster.links[0].resource_opts.request_tll | did you mean 'request_ttl'?
            reconnect { max_dealy = 1s }                      | cluster.links[0].reconnect.max_dealy | did you mean 'max_delay'?
            forwarding_buffer { max_message = 1 }             | cluster.links[0].forwarding_buffer.max_message | did you mean 'max_messages'?
            ssl { enable = true, ciphers = [\"x\"] }          | cluster.links[0].ssl.ciphers      | not supported by clink
            """)
    void parse_unknownNestedKey_isRejected(String body, String path, String hint) {
        assertThatThrownBy(() -> ClusterLinkConfigLoader.parse(link(body.replace("\\\"", "\""))))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageContaining(path)
                .hasMessageContaining(hint)
                .satisfies(e -> assertThat(((ConfigLoadException) e).path()).isEqualTo(path));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            pool_size = 0                         | cluster.links[0].pool_size = 0                    | 1..1024
            pool_size = "many"                      | cluster.links[0].pool_size = "many"                 | must be an integer
            pool_size = 99999999999999999999      | cluster.links[0].pool_size                        | must be an integer
            max_inflight = 70000                  | cluster.links[0].max_inflight = 70000             | 1..65535
            keepalive = "1500ms"                    | cluster.links[0].keepalive = "1500ms"               | whole seconds
            enable = "maybe"                        | cluster.links[0].enable = "maybe"                   | true or false
            clientid = "has space"                | cluster.links[0].clientid = "has space"           | whitespace
            actor_name = "a/b"                    | cluster.links[0].actor_name = "a/b"               | must not contain '/'
            topics = "#"                          | cluster.links[0].topics = "#"                     | must be a list
            topics = [{ a = 1 }]                  | cluster.links[0].topics[0]                        | must be a string
            topics = ["$LINK/cluster/x"]          | cluster.links[0].topics                           | not allowed
            topics = ["t/+", "t/1"]               | cluster.links[0].topics                           | redundant topics
            topics = ["t", "t"]                   | cluster.links[0].topics                           | duplicate
            topics = [""]                         | cluster.links[0].topics                           | invalid topics
            ssl = true                            | cluster.links[0].ssl = true                       | must be an object
            ssl { verify = "verify_maybe" }         | cluster.links[0].ssl.verify = "verify_maybe"        | verify_peer or verify_none
            ssl { versions = ["tlsv1.1"] }        | cluster.links[0].ssl.versions = ["tlsv1.1"]       | unsupported TLS version 'tlsv1.1'
            ssl { versions = [] }                 | cluster.links[0].ssl.versions = []                | must not be empty
            ssl { server_name_indication = "disable" } | cluster.links[0].ssl.server_name_indication = "disable" | not supported
            ssl { cacertfile = "/no/such/ca.pem" } | cluster.links[0].ssl.cacertfile = "/no/such/ca.pem" | no such file
            ssl { certfile = "/no/such/c.pem" }   | cluster.links[0].ssl.certfile                     | given together
            tcp_opts { keepalive = "1,2" }        | cluster.links[0].tcp_opts.keepalive = "1,2"       | Idle,Interval,Probes
            tcp_opts { keepalive = "0,2,3" }      | cluster.links[0].tcp_opts.keepalive.idle          | 1..7200
            tcp_opts { sndbuf = "4GB" }             | cluster.links[0].tcp_opts.sndbuf = "4GB"            | at most
            resource_opts { dispatch_strategy = "hash" } | cluster.links[0].resource_opts.dispatch_strategy = "hash" | per_clientid or random
            resource_opts { request_ttl = 0 }     | cluster.links[0].resource_opts.request_ttl = 0    | between
            resource_opts { request_ttl = 1s, request_timeout = 2s } | cluster.links[0].resource_opts.request_timeout | alias
            resource_opts { max_buffer_bytes = "2TB" } | cluster.links[0].resource_opts.max_buffer_bytes = "2TB" | 1..
            resource_opts { max_buffer_bytes = "lots" } | cluster.links[0].resource_opts.max_buffer_bytes = "lots" | must be a size
            reconnect { initial_delay = 10s, max_delay = 1s } | cluster.links[0].reconnect.max_delay = "1s" | at least initial_delay
            reconnect { max_delay = 1m }          | cluster.links[0].reconnect.max_delay = "1m"       | at most 20s
            reconnect { jitter = 2 }              | cluster.links[0].reconnect.jitter = 2             | 0..1
            reconnect { jitter = much }           | cluster.links[0].reconnect.jitter = "much"          | must be a number
            forwarding_buffer { max_messages = 0 } | cluster.links[0].forwarding_buffer.max_messages = 0 | 1..
            forwarding_buffer = 5                 | cluster.links[0].forwarding_buffer = 5            | must be an object
            """)
    void parse_invalidLinkValue_namesPathValueAndRule(String body, String shown, String rule) {
        assertThatThrownBy(() -> ClusterLinkConfigLoader.parse(link(body)))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageStartingWith("<string>:")
                .hasMessageContaining(shown)
                .hasMessageContaining(rule);
    }

    @Test
    void parse_invalidServer_namesPathAndValue() {
        String hocon = "cluster { name = a, links = [ { name = b, server = \"h:1,h:2,h:1\", topics = [] } ] }";

        assertThatThrownBy(() -> ClusterLinkConfigLoader.parse(hocon))
                .hasMessageContaining("cluster.links[0].server = \"h:1,h:2,h:1\"")
                .hasMessageContaining("names 'h:1' more than once");
    }

    @Test
    void parse_severalServers_keepsAllInOrder() {
        String hocon = "cluster { name = a, links = [ { name = b, server = \"h:1, [::1]:2\", topics = [] } ] }";

        assertThat(ClusterLinkConfigLoader.parse(hocon).links().get(0).servers().endpoints())
                .extracting(Object::toString)
                .containsExactly("h:1", "[::1]:2");
    }

    @Test
    void parse_invalidPassword_neverShowsIt() {
        String hocon =
                "cluster { name = a, links = [ { name = b, server = h, topics = [], password = \"x\\u0000y\" } ] }";

        assertThatThrownBy(() -> ClusterLinkConfigLoader.parse(hocon))
                .hasMessageContaining("cluster.links[0].password = \"******\"")
                .hasMessageNotContaining("x\u0000y");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            links = [ { server = h, topics = [] } ]                  | cluster.links[0].name: is required
            links = [ { name = b, topics = [] } ]                    | cluster.links[0].server: is required
            links = [ { name = b, server = h } ]                     | cluster.links[0].topics: is required
            """)
    void parse_missingRequiredLinkField_namesIt(String links, String expected) {
        assertThatThrownBy(() -> ClusterLinkConfigLoader.parse("cluster { name = a, " + links + " }"))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void parse_missingCluster_namesIt() {
        assertThatThrownBy(() -> ClusterLinkConfigLoader.parse("listeners { }"))
                .hasMessageContaining(": cluster: is required");
    }

    @Test
    void parse_missingClusterName_namesIt() {
        assertThatThrownBy(() -> ClusterLinkConfigLoader.parse("cluster { links = [] }"))
                .hasMessageContaining("cluster.name: is required");
    }

    @Test
    void parse_invalidClusterName_namesValue() {
        assertThatThrownBy(() -> ClusterLinkConfigLoader.parse("cluster { name = \"-bad\" }"))
                .hasMessageContaining("cluster.name = \"-bad\"")
                .hasMessageContaining("must start with a letter or digit");
    }

    @Test
    void parse_invalidLinkName_namesValue() {
        assertThatThrownBy(() -> ClusterLinkConfigLoader.parse(
                        "cluster { name = a, links = [ { name = \"b c\", server = h, topics = [] } ] }"))
                .hasMessageContaining("cluster.links[0].name = \"b c\"");
    }

    @Test
    void parse_invalidClusterActorName_namesValue() {
        assertThatThrownBy(() -> ClusterLinkConfigLoader.parse("cluster { name = a, actor_name = \"x+y\" }"))
                .hasMessageContaining("cluster.actor_name = \"x+y\"");
    }

    @Test
    void parse_linksNotAList_isRejected() {
        assertThatThrownBy(() -> ClusterLinkConfigLoader.parse("cluster { name = a, links { name = b } }"))
                .hasMessageContaining("cluster.links")
                .hasMessageContaining("must be a list");
    }

    @Test
    void parse_linkNotAnObject_isRejected() {
        assertThatThrownBy(() -> ClusterLinkConfigLoader.parse("cluster { name = a, links = [ \"b\" ] }"))
                .hasMessageContaining("cluster.links[0] = \"b\"")
                .hasMessageContaining("must be an object");
    }

    @Test
    void parse_duplicateLinkNames_namesThem() {
        String hocon = "cluster { name = a, links = [ { name = b, server = h, topics = [] },"
                + " { name = b, server = g, topics = [] } ] }";

        assertThatThrownBy(() -> ClusterLinkConfigLoader.parse(hocon))
                .hasMessageContaining("cluster.links")
                .hasMessageContaining("duplicated cluster link names [b]");
    }

    @Test
    void parse_linkToSelf_namesIt() {
        String hocon = "cluster { name = a, links = [ { name = a, server = h, topics = [] } ] }";

        assertThatThrownBy(() -> ClusterLinkConfigLoader.parse(hocon))
                .hasMessageContaining("cluster.links[0].name = \"a\"")
                .hasMessageContaining("local cluster's name");
    }

    @Test
    void parse_secondLinkError_namesIndexOne() {
        String hocon = "cluster { name = a, links = [ { name = b, server = h, topics = [] },"
                + " { name = c, server = g, topics = [], pool_size = -1 } ] }";

        assertThatThrownBy(() -> ClusterLinkConfigLoader.parse(hocon))
                .hasMessageContaining("cluster.links[1].pool_size = -1");
    }

    @Test
    void parse_clusterNotAnObject_isRejected() {
        assertThatThrownBy(() -> ClusterLinkConfigLoader.parse("cluster = 5"))
                .hasMessageContaining("cluster = 5")
                .hasMessageContaining("must be an object");
    }

    private static String link(String extra) {
        return "cluster {\n  name = a\n  links = [\n    { name = b, server = \"h:1\", topics = [\"t/#\"]\n      "
                + extra + "\n    }\n  ]\n}\n";
    }
}
