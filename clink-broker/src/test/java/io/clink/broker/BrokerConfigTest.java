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
                .usingRecursiveComparison()
                .ignoringFields("file", "dataDir", "management.overrideFile")
                .isEqualTo(Demo.config("x", Demo.usEast(Demo.Ports.DEFAULT)));
        assertThat(BrokerConfig.load(examples.resolve("cluster-eu-west.conf")))
                .usingRecursiveComparison()
                .ignoringFields("file", "dataDir", "management.overrideFile")
                .isEqualTo(Demo.config("x", Demo.euWest(Demo.Ports.DEFAULT, List.of("#"))));
        assertThat(BrokerConfig.load(examples.resolve("cluster-eu-west-asymmetric.conf")))
                .usingRecursiveComparison()
                .ignoringFields("file", "dataDir", "management.overrideFile")
                .isEqualTo(Demo.config("x", Demo.euWest(Demo.Ports.DEFAULT, List.of())));
    }

    @Test
    void demo_eachServerIsTheOtherClustersLinkListener() {
        Demo.Ports p = new Demo.Ports(2001, 2002, 2003, 2004);
        BrokerConfig us = Demo.config("us", Demo.usEast(p));
        BrokerConfig eu = Demo.config("eu", Demo.euWest(p, List.of("#")));

        assertThat(us.cluster().links().get(0).name()).isEqualTo(eu.cluster().name());
        assertThat(eu.cluster().links().get(0).name()).isEqualTo(us.cluster().name());
        assertThat(us.cluster().links().get(0).server().port())
                .isEqualTo(eu.link().port());
        assertThat(eu.cluster().links().get(0).server().port())
                .isEqualTo(us.link().port());
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

        assertThat(c.linkUsers())
                .containsExactly(
                        new io.clink.hivemq.LinkAuthenticator.LinkUser("clink-eu", "s3cret", "cluster-eu-west"),
                        new io.clink.hivemq.LinkAuthenticator.LinkUser("clink-ap", "p", "cluster-ap"));
        assertThat(secret).exists();
    }

    @Test
    void from_noAuthentication_givesNoLinkUsers() {
        String doc = "cluster { name = a }\nlisteners { tcp.clink { bind = 11883 } }";

        assertThat(BrokerConfig.from(ClusterLinkConfigLoader.parseString(doc, "f.conf"), "f.conf", dir)
                        .linkUsers())
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

    // ---- management { enable, bind } ----

    private static final String MINIMAL = "cluster { name = a }\nlisteners { tcp.clink { bind = 11883 } }\n";

    private BrokerConfig parse(String extra) {
        return BrokerConfig.from(ClusterLinkConfigLoader.parseString(MINIMAL + extra, "m.conf"), "m.conf", dir);
    }

    @Test
    void from_noManagementSection_loopback18083Enabled() {
        BrokerConfig c = parse("");

        assertThat(c.management())
                .isEqualTo(new BrokerConfig.Management(true, new BrokerConfig.Bind("127.0.0.1", 18083)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            18085               | 127.0.0.1 | 18085
            127.0.0.1:18083     | 127.0.0.1 | 18083
            0.0.0.0:18083       | 0.0.0.0   | 18083
            '[::1]:18086'       | ::1       | 18086
            localhost:18087     | localhost | 18087
            """)
    void from_managementBind_portAloneStaysOnLoopback(String bind, String host, int port) {
        BrokerConfig c = parse("management { bind = \"" + bind + "\" }");

        assertThat(c.management().bind()).isEqualTo(new BrokerConfig.Bind(host, port));
        assertThat(c.management().enabled()).isTrue();
    }

    @Test
    void from_managementDisabled_notEnabledAndNoPortClash() {
        BrokerConfig c = parse("management { enable = false, bind = 11883 }");

        assertThat(c.management().enabled()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            management { bind = 70000 }                      | m.conf:3: management.bind = 70000       | PORT or HOST:PORT
            management { bind = "a b:1" }                    | management.bind = "a b:1"               | PORT or HOST:PORT
            management { bind = 1883 }                       | management.bind = 1883                  | same address as listeners.tcp.default
            management { bind = "0.0.0.0:11883" }            | management.bind = "0.0.0.0:11883"       | same address as listeners.tcp.clink
            management { bnid = 18083 }                      | management.bnid                         | did you mean 'bind'?
            management { enable = maybe }                    | 'management.enable = "maybe"'           | true or false
            management = 18083                               | management = 18083                      | must be an object
            """)
    void from_invalidManagement_namesFileFieldAndValue(String extra, String shown, String rule) {
        assertThatThrownBy(() -> parse(extra))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageStartingWith("m.conf")
                .hasMessageContaining(shown)
                .hasMessageContaining(rule == null ? "" : rule);
    }

    // ---- mqtt { max_inflight, max_mqueue_len, mqueue_overflow } ----

    @Test
    void from_noMqttSection_emqxWindowAndOverflowWithALargerQueue() {
        assertThat(parse("").session())
                .isEqualTo(new BrokerConfig.Session(32, 100_000, BrokerConfig.Overflow.DROP_OLDEST))
                .isEqualTo(BrokerConfig.Session.DEFAULT);
    }

    @Test
    void from_mqttSection_readsEachKey() {
        BrokerConfig c = parse("mqtt { max_inflight = 100, max_mqueue_len = 5000, mqueue_overflow = drop_new }");

        assertThat(c.session()).isEqualTo(new BrokerConfig.Session(100, 5000, BrokerConfig.Overflow.DROP_NEW));
    }

    @Test
    void from_otherEmqxMqttKey_ignoredWithTheDefaults() {
        BrokerConfig c = parse("mqtt { mqueue_store_qos0 = true, max_packet_size = 1MB, max_inflight = 64 }");

        assertThat(c.session()).isEqualTo(new BrokerConfig.Session(64, 100_000, BrokerConfig.Overflow.DROP_OLDEST));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            mqtt { max_inflight = 0 }                  | mqtt.max_inflight = 0                | 1..65535, got 0
            mqtt { max_inflight = 65536 }              | mqtt.max_inflight = 65536            | 1..65535, got 65536
            mqtt { max_inflight = lots }               | mqtt.max_inflight                    | must be an integer
            mqtt { max_mqueue_len = 0 }                | mqtt.max_mqueue_len = 0              | at least 1, got 0
            mqtt { max_mqueue_len = -5 }               | mqtt.max_mqueue_len = -5             | at least 1, got -5
            mqtt { mqueue_overflow = drop_newest }     | mqtt.mqueue_overflow = "drop_newest" | drop_oldest or drop_new, got "drop_newest"
            mqtt { max_inflihgt = 10 }                 | mqtt.max_inflihgt                    | did you mean 'max_inflight'?
            mqtt = 5                                   | mqtt = 5                             | must be an object
            """)
    void from_invalidMqtt_namesFileFieldAndValue(String extra, String shown, String rule) {
        assertThatThrownBy(() -> parse(extra))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageStartingWith("m.conf")
                .hasMessageContaining(shown)
                .hasMessageContaining(rule);
    }

    @Test
    void hivemqConfig_mqttSection_writesQueueAndWindow() {
        BrokerConfig c = parse("mqtt { max_inflight = 77, max_mqueue_len = 1234, mqueue_overflow = drop_new }");

        String xml = EmbeddedClusterBroker.hivemqConfig(c, null);

        assertThat(xml)
                .contains("<queued-messages><max-queue-size>1234</max-queue-size><strategy>discard</strategy>")
                .contains("<server-receive-maximum>77</server-receive-maximum>");
        assertThat(EmbeddedClusterBroker.hivemqConfig(parse(""), null))
                .contains("<max-queue-size>100000</max-queue-size><strategy>discard-oldest</strategy>");
    }

    @Test
    void session_outOfRange_namesTheValue() {
        assertThatThrownBy(() -> new BrokerConfig.Session(0, 1, BrokerConfig.Overflow.DROP_NEW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0");
        assertThatThrownBy(() -> new BrokerConfig.Session(1, 0, BrokerConfig.Overflow.DROP_NEW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxMqueueLen must be at least 1, got 0");
    }

    // ---- node { data_dir } ----

    @Test
    void from_noNodeSection_dataDirIsDataInTheWorkingDirectory() {
        assertThat(parse("").dataDir())
                .isEqualTo(Path.of("data").toAbsolutePath().normalize());
    }

    @Test
    void from_relativeDataDir_resolvesAgainstTheWorkingDirectoryAsEmqx() {
        assertThat(parse("node { data_dir = \"var/clink\" }").dataDir())
                .isEqualTo(Path.of("var", "clink").toAbsolutePath().normalize());
    }

    @Test
    void from_absoluteDataDir_keptAndNeedNotExist() {
        Path d = dir.resolve("state").resolve("us");

        assertThat(parse("node { data_dir = \"" + d + "\" }").dataDir()).isEqualTo(d);
        assertThat(d).doesNotExist();
    }

    @Test
    void from_otherNodeKeys_ignoredAsBefore() {
        Path d = dir.resolve("n");

        BrokerConfig c = parse("node { name = \"emqx@10.0.0.1\", cookie = secret, data_dir = \"" + d + "\" }");

        assertThat(c.dataDir()).isEqualTo(d);
    }

    @Test
    void from_dataDirIsAFile_namesFileFieldAndValue() throws IOException {
        Path f = Files.writeString(dir.resolve("not-a-dir"), "x");

        assertThatThrownBy(() -> parse("node { data_dir = \"" + f + "\" }"))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageStartingWith("m.conf:3: node.data_dir = \"" + f + "\"")
                .hasMessageContaining("is not a directory");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            node { data_dir = "" }     | node.data_dir = ""   | must not be empty
            node { data_dir = "  " }   | node.data_dir = "  " | must not be empty
            node { data_dri = "d" }    | node.data_dri        | is ignored
            node = 5                   | node = 5             | must be an object
            """)
    void from_invalidNode_namesFileFieldAndValue(String extra, String shown, String rule) {
        if (rule.equals("is ignored")) {
            // An unknown node key is one of EMQX's node settings to clink: a warning, and data_dir keeps its default.
            assertThat(parse(extra).dataDir())
                    .isEqualTo(Path.of("data").toAbsolutePath().normalize());
            return;
        }
        assertThatThrownBy(() -> parse(extra))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageStartingWith("m.conf")
                .hasMessageContaining(shown)
                .hasMessageContaining(rule);
    }

    @Test
    void from_noBrokerSection_hivemq() {
        assertThat(parse("").brokerType()).isEqualTo(BrokerType.HIVEMQ);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            broker.type = hivemq               | HIVEMQ
            broker { type = artemis }          | ARTEMIS
            broker { }                         | HIVEMQ
            """)
    void from_brokerType_givesTheBroker(String extra, BrokerType expected) {
        assertThat(parse(extra).brokerType()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            broker.type = mosquitto            | broker.type = "mosquitto" | must be hivemq or artemis
            broker.type = Artemis              | broker.type = "Artemis"   | must be hivemq or artemis
            broker.type = ""                   | broker.type = ""         | must be hivemq or artemis
            broker.type = 5                    | broker.type = 5          | must be hivemq or artemis
            broker { typ = artemis }           | broker.typ               | did you mean 'type'?
            broker = artemis                   | broker = "artemis"        | must be an object
            """)
    void from_invalidBrokerType_namesFileFieldAndValue(String extra, String shown, String rule) {
        assertThatThrownBy(() -> parse(extra))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageStartingWith("m.conf")
                .hasMessageContaining(shown)
                .hasMessageContaining(rule);
    }

    @Test
    void withBrokerType_keepsEverythingElse() {
        BrokerConfig hivemq = parse("");

        BrokerConfig artemis = hivemq.withBrokerType(BrokerType.ARTEMIS);

        assertThat(artemis.brokerType()).isEqualTo(BrokerType.ARTEMIS);
        assertThat(artemis)
                .usingRecursiveComparison()
                .ignoringFields("brokerType")
                .isEqualTo(hivemq);
    }

    @Test
    void load_artemisExampleFiles_areTheHiveMqExamplesOnArtemis() {
        Path examples = Path.of("..", "examples");

        for (String name : List.of("cluster-us-east", "cluster-eu-west", "cluster-eu-west-asymmetric")) {
            BrokerConfig artemis = BrokerConfig.load(examples.resolve(name + "-artemis.conf"));
            BrokerConfig hivemq = BrokerConfig.load(examples.resolve(name + ".conf"));
            assertThat(artemis.brokerType()).as(name).isEqualTo(BrokerType.ARTEMIS);
            assertThat(artemis)
                    .as(name)
                    .usingRecursiveComparison()
                    // Each file has its own override file beside it (links saved through the API).
                    .ignoringFields("file", "brokerType", "management.overrideFile")
                    .isEqualTo(hivemq.withBrokerType(BrokerType.ARTEMIS));
            assertThat(artemis.management().overrideFile())
                    .as(name)
                    .isEqualTo(examples.resolve(name + "-artemis.override.json").toAbsolutePath());
        }
    }

    @Test
    void demo_dataDirIsPerClusterUnderTheTemporaryDirectory() {
        BrokerConfig us = Demo.config("us", Demo.usEast(Demo.Ports.DEFAULT));
        BrokerConfig eu = Demo.config("eu", Demo.euWest(Demo.Ports.DEFAULT, List.of("#")));

        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        assertThat(us.dataDir()).isEqualTo(tmp.resolve("clink-demo").resolve("cluster-us-east"));
        assertThat(eu.dataDir()).isEqualTo(tmp.resolve("clink-demo").resolve("cluster-eu-west"));
        assertThat(us.management().bind()).isEqualTo(new BrokerConfig.Bind("127.0.0.1", 18083));
        assertThat(eu.management().bind()).isEqualTo(new BrokerConfig.Bind("127.0.0.1", 18084));
    }

    @Test
    void demoPorts_parse_sixPortsSetTheManagementApi() {
        assertThat(Demo.Ports.parse("1,2,3,4,5,6")).isEqualTo(new Demo.Ports(1, 2, 3, 4, 5, 6));
        assertThat(Demo.Ports.parse("1,2,3,4")).isEqualTo(new Demo.Ports(1, 2, 3, 4, 18083, 18084));
        assertThatThrownBy(() -> Demo.Ports.parse("1,2,3,4,5")).hasMessageContaining("four ports");
    }

    @Test
    void demoInstructions_printTheCurlCommands() {
        String text = Demo.instructions(new Demo.Ports(1, 2, 3, 4, 5, 6), "demo-1:s3cret");

        assertThat(text)
                .contains("curl -u 'demo-1:s3cret' http://127.0.0.1:5/api/v5/cluster/links\n")
                .contains(
                        "curl -u 'demo-1:s3cret' http://127.0.0.1:6/api/v5/cluster/links/link/cluster-us-east/metrics")
                .contains("curl -u 'demo-1:s3cret' -X POST http://127.0.0.1:5/api/v5/cluster/links")
                .contains("curl -u 'demo-1:s3cret' -X DELETE http://127.0.0.1:5/api/v5/cluster/links/link/");
    }

    @Test
    void demoApiKey_newEachRun_isAValidBootstrapLine() throws Exception {
        String a = Demo.newApiKey();
        String b = Demo.newApiKey();

        assertThat(a).isNotEqualTo(b).matches("demo-[0-9a-f]{8}:[A-Za-z0-9_-]{32}");
        String setting = Demo.apiKeySetting(a);
        BrokerConfig us = Demo.config("us", Demo.usEast(Demo.Ports.DEFAULT) + setting);
        Path file = us.management().apiKeyFile();
        assertThat(file).isNotNull();
        assertThat(io.clink.broker.internal.ApiKeys.read(file)
                        .authenticate("Basic "
                                + java.util.Base64.getEncoder()
                                        .encodeToString(a.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .hasValue(io.clink.broker.internal.ApiKeys.Role.ADMINISTRATOR);
    }

    @Test
    void load_overrideFileNextToTheConfig_appliedOnTopAndNamed(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("us.conf"), Demo.usEast(Demo.Ports.DEFAULT));
        Files.writeString(
                dir.resolve("us.override.json"),
                "{\"cluster\":{\"name\":\"cluster-us-east\",\"links\":[{\"name\":\"cluster-ap\","
                        + "\"server\":\"ap:1\",\"topics\":[]}]},\"deleted_links\":[\"cluster-eu-west\"]}");

        BrokerConfig c = BrokerConfig.load(conf);

        assertThat(c.cluster().links()).extracting(l -> l.name()).containsExactly("cluster-ap");
        assertThat(c.management().overrideFile())
                .isEqualTo(dir.resolve("us.override.json").toAbsolutePath());
    }

    @Test
    void load_corruptOverrideFile_refusedNamingIt(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("us.conf"), Demo.usEast(Demo.Ports.DEFAULT));
        Files.writeString(dir.resolve("us.override.json"), "{\"cluster\": ");

        assertThatThrownBy(() -> BrokerConfig.load(conf))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageStartingWith(dir.resolve("us.override.json").toAbsolutePath() + ":");
    }

    @Test
    void apiKey_badBootstrapLine_refusedNamingFileAndLine(@TempDir Path dir) throws Exception {
        Path keys = Files.writeString(dir.resolve("keys"), "ok:fine\nbroken-line-with-secret\n");
        String text = Demo.usEast(Demo.Ports.DEFAULT) + "\napi_key { bootstrap_file = \"" + keys + "\" }\n";

        assertThatThrownBy(() -> Demo.config("us.conf", text))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageStartingWith(keys + ":2: api_key.bootstrap_file:")
                .hasMessageNotContaining("broken-line-with-secret");
    }

    @Test
    void apiKey_unknownKey_refused() {
        String text = Demo.usEast(Demo.Ports.DEFAULT) + "\napi_key { bootstrap_fil = \"x\" }\n";

        assertThatThrownBy(() -> Demo.config("us.conf", text))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageContaining("bootstrap_fil");
    }
}
