package io.clink.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.core.config.ClusterLinkConfigLoader;
import io.clink.core.config.ConfigLoadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code node.name}, {@code node.cookie}, {@code node.cluster_bind} and {@code cluster.discovery_strategy}. */
class ClusteringConfigTest {

    @TempDir
    Path dir;

    private static final String LISTENERS = "listeners { tcp.default { bind = 1883 }, tcp.clink { bind = 11883 } }\n";
    private static final String NODE =
            "node { name = \"us-east-1@127.0.0.1\", cookie = \"0123456789abcdef-x\", cluster_bind = \"127.0.0.1:4370\" }\n";
    private static final String STATIC = "cluster { name = us, links = [], discovery_strategy = static,"
            + " static { seeds = [\"us-east-1@127.0.0.1:4370\", \"us-east-2@127.0.0.1:4371\"] } }\n";

    private BrokerConfig parse(String doc) {
        return BrokerConfig.from(ClusterLinkConfigLoader.parseString(doc, "n.conf"), "n.conf", dir);
    }

    @Test
    void from_staticSeeds_givesPeersWithoutThisNode() {
        BrokerConfig c = parse(STATIC + NODE + LISTENERS + "broker { type = artemis }\n");

        assertThat(c.clustering()).isNotNull();
        assertThat(c.clustering().nodeName()).isEqualTo("us-east-1@127.0.0.1");
        assertThat(c.clustering().bind()).isEqualTo(new BrokerConfig.Bind("127.0.0.1", 4370));
        assertThat(c.clustering().peers())
                .containsExactly(new Clustering.Seed("us-east-2@127.0.0.1", "127.0.0.1", 4371));
        assertThat(c.clustering().cookie()).isEqualTo("0123456789abcdef-x");
    }

    @Test
    void from_noRouteStoreKeys_storeOnEachClusterPortPlus1000() {
        BrokerConfig c = parse(STATIC + NODE + LISTENERS + "broker { type = artemis }\n");

        assertThat(c.clustering().storeBind()).isEqualTo(new BrokerConfig.Bind("127.0.0.1", 5370));
        assertThat(c.clustering().storeMembers()).containsExactly("127.0.0.1:5370", "127.0.0.1:5371");
    }

    @Test
    void from_routeStoreKeys_usedAsGiven() {
        String node = "node { name = \"us-east-1@127.0.0.1\", cookie = \"0123456789abcdef-x\","
                + " cluster_bind = \"127.0.0.1:4370\", route_store_bind = \"127.0.0.1:5701\" }\n";
        String cluster = "cluster { name = us, links = [], discovery_strategy = static, static {"
                + " seeds = [\"us-east-1@127.0.0.1:4370\", \"us-east-2@127.0.0.1:4371\"],"
                + " route_store_seeds = [\"127.0.0.1:5701\", \"127.0.0.1:5702\"] } }\n";

        BrokerConfig c = parse(cluster + node + LISTENERS + "broker { type = artemis }\n");

        assertThat(c.clustering().storeBind()).isEqualTo(new BrokerConfig.Bind("127.0.0.1", 5701));
        assertThat(c.clustering().storeMembers()).containsExactly("127.0.0.1:5701", "127.0.0.1:5702");
    }

    @Test
    void from_badRouteStoreValues_refusedNamingKeyAndValue() {
        String seeds = "cluster { name = us, links = [], discovery_strategy = static, static {"
                + " seeds = [\"us-east-1@127.0.0.1:4370\", \"us-east-2@127.0.0.1:4371\"],"
                + " route_store_seeds = [\"127.0.0.1\"] } }\n";
        assertThatThrownBy(() -> parse(seeds + NODE + LISTENERS + "broker { type = artemis }\n"))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageContaining("cluster.static.route_store_seeds")
                .hasMessageContaining("\"127.0.0.1\" must be HOST:PORT");
        String onAcceptor = "cluster { name = us, links = [], discovery_strategy = static, static {"
                + " seeds = [\"us-east-1@127.0.0.1:4370\", \"us-east-2@127.0.0.1:4371\"],"
                + " route_store_seeds = [\"127.0.0.1:5370\", \"127.0.0.1:4371\"] } }\n";
        assertThatThrownBy(() -> parse(onAcceptor + NODE + LISTENERS + "broker { type = artemis }\n"))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageContaining("cluster.static.route_store_seeds")
                .hasMessageContaining("\"127.0.0.1:4371\" is a node's cluster acceptor");
        String badBind = "node { name = \"us-east-1@127.0.0.1\", cookie = \"0123456789abcdef-x\","
                + " cluster_bind = \"127.0.0.1:4370\", route_store_bind = \"70000\" }\n";
        assertThatThrownBy(() -> parse(STATIC + badBind + LISTENERS + "broker { type = artemis }\n"))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageContaining("node.route_store_bind")
                .hasMessageContaining("\"70000\"");
        String onListener = "node { name = \"us-east-1@127.0.0.1\", cookie = \"0123456789abcdef-x\","
                + " cluster_bind = \"127.0.0.1:4370\", route_store_bind = \"127.0.0.1:11883\" }\n";
        assertThatThrownBy(() -> parse(STATIC + onListener + LISTENERS + "broker { type = artemis }\n"))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageContaining("node.route_store_bind")
                .hasMessageContaining("address of a listener");
    }

    @Test
    void from_seedWithoutPort_usesEmqxDistributionPort() {
        String cluster = "cluster { name = us, links = [], discovery_strategy = static,"
                + " static { seeds = [\"us-east-2@10.0.0.2\"] } }\n";

        BrokerConfig c = parse(cluster + NODE + LISTENERS + "broker { type = artemis }\n");

        assertThat(c.clustering().peers())
                .containsExactly(new Clustering.Seed("us-east-2@10.0.0.2", "10.0.0.2", Clustering.DEFAULT_PORT));
    }

    @Test
    void from_manualSingletonOrAbsent_singleNode() {
        assertThat(parse("cluster { name = us, links = [] }\n" + LISTENERS).clustering())
                .isNull();
        assertThat(parse("cluster { name = us, links = [], discovery_strategy = manual }\n" + LISTENERS)
                        .clustering())
                .isNull();
        assertThat(parse("cluster { name = us, links = [], discovery_strategy = singleton }\n" + LISTENERS)
                        .clustering())
                .isNull();
    }

    @Test
    void from_staticWithHiveMq_refusedNamingTheBroker() {
        assertThatThrownBy(() -> parse(STATIC + NODE + LISTENERS))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageStartingWith("n.conf:")
                .hasMessageContaining("cluster.discovery_strategy")
                .hasMessageContaining("HiveMQ CE cannot cluster");
        assertThatThrownBy(() -> parse(STATIC + NODE + LISTENERS + "broker { type = hivemq }\n"))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageContaining("HiveMQ CE cannot cluster");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            cookie = emqxsecretcookie          | node.cookie        | published default
            cookie = short                     | node.cookie        | at least 16
            cluster_bind = "x y"               | node.cluster_bind  | PORT or HOST:PORT
            cluster_bind = "127.0.0.1:11883"   | node.cluster_bind  | same address as a listener
            name = "a/b"                       | node.name          | '/'
            """)
    void from_badNodeKey_namesIt(String override, String key, String rule) {
        String doc = STATIC + NODE + "node { " + override + " }\n" + LISTENERS + "broker { type = artemis }\n";

        assertThatThrownBy(() -> parse(doc))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageContaining(key)
                .hasMessageContaining(rule);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            discovery_strategy = dns                                                   | manual or singleton (one node) or static
            discovery_strategy = static                                                | cluster.static: is required
            'discovery_strategy = static, static { seeds = ["us-east-1@127.0.0.1"] }'  | other than this one
            'discovery_strategy = static, static { seeds = ["nohost"] }'               | NAME@HOST or NAME@HOST:PORT
            'discovery_strategy = static, static { seeds = ["b@h:0"] }'                | port in 1..65535
            'discovery_strategy = static, static { seeds = ["b@h:1", "b@h:2"] }'        | twice
            'static { seeds = ["b@h:1"] }'                                             | use discovery_strategy = static
            'discovery_strategy = static, actor_name = x, static { seeds = ["b@h:1"] }' | each node runs its own actor
            """)
    void from_badClusterKey_namesIt(String keys, String rule) {
        String doc =
                "cluster { name = us, links = [], " + keys + " }\n" + NODE + LISTENERS + "broker { type = artemis }\n";

        assertThatThrownBy(() -> parse(doc))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageStartingWith("n.conf:")
                .hasMessageContaining(rule);
    }

    @Test
    void from_staticWithoutNodeSection_refused() {
        assertThatThrownBy(() -> parse(STATIC + LISTENERS + "broker { type = artemis }\n"))
                .isInstanceOf(ConfigLoadException.class)
                .hasMessageContaining("node { name, cookie, cluster_bind }");
    }

    @Test
    void exampleFiles_multiNode_fourArtemisNodesEachLinkingBothNodesOfTheOtherRegion() throws Exception {
        Path examples = Path.of("..", "examples", "multi-node");
        for (String n : List.of("us-east-1", "us-east-2", "eu-west-1", "eu-west-2")) {
            String text = Files.readString(examples.resolve(n + ".conf"));
            Matcher server = SERVER.matcher(text);
            assertThat(server.find()).as(n + " has a server list").isTrue();
            String otherRegion = n.startsWith("us-east") ? "eu-west" : "us-east";
            String[] endpoints = server.group(1).split(",");

            BrokerConfig c = parse(text);

            assertThat(c.brokerType()).isEqualTo(BrokerType.ARTEMIS);
            assertThat(c.clustering().nodeName()).isEqualTo(n + "@127.0.0.1");
            assertThat(c.clustering().peers()).hasSize(1);
            assertThat(c.cluster().links())
                    .singleElement()
                    .satisfies(l -> assertThat(l.name()).isEqualTo("cluster-" + otherRegion));
            List<String> otherLinks = new java.util.ArrayList<>();
            for (String o : List.of(otherRegion + "-1", otherRegion + "-2")) {
                BrokerConfig peer = parse(Files.readString(examples.resolve(o + ".conf")));
                otherLinks.add("127.0.0.1:" + peer.link().port());
            }
            assertThat(endpoints).containsExactlyElementsOf(otherLinks);
            assertThat(c.cluster().links().get(0).servers().endpoints())
                    .extracting(e -> e.host() + ":" + e.port())
                    .containsExactlyElementsOf(otherLinks);
        }
    }

    private static final Pattern SERVER = Pattern.compile("server = \"([^\"]+)\"");
}
