package io.clink.broker;

import io.clink.core.config.ClusterLinkConfigLoader;
import io.clink.core.config.ConfigDocument;
import java.nio.file.Path;
import java.util.List;

/**
 * The two clusters of the quick start, on loopback: {@code cluster-us-east} (MQTT 1883, link listener 11883,
 * management API 18083) and {@code cluster-eu-west} (MQTT 1884, link listener 11884, management API 18084), each
 * linked to the other with {@code topics = ["#"]}. Each side's {@code server} is the <em>other</em> cluster's link
 * listener. The text is the same as {@code examples/cluster-us-east.conf} and {@code examples/cluster-eu-west.conf}
 * (a test keeps them equal), except that the demo keeps its state under the temporary directory.
 */
final class Demo {

    /** The demo's ports: us-east MQTT and link, eu-west MQTT and link, us-east and eu-west management API. */
    record Ports(int usMqtt, int usLink, int euMqtt, int euLink, int usApi, int euApi) {
        static final Ports DEFAULT = new Ports(1883, 11883, 1884, 11884);

        /** With the default management API ports, 18083 and 18084. */
        Ports(int usMqtt, int usLink, int euMqtt, int euLink) {
            this(usMqtt, usLink, euMqtt, euLink, 18083, 18084);
        }

        /** Parses {@code usMqtt,usLink,euMqtt,euLink[,usApi,euApi]}. */
        static Ports parse(String text) {
            String[] p = text.split(",", -1);
            if (p.length != 4 && p.length != 6) {
                throw new IllegalArgumentException(
                        "--demo-ports takes four ports: us-east MQTT, us-east link, eu-west MQTT, eu-west link, "
                                + "optionally followed by us-east and eu-west management API; got '" + text + "'");
            }
            int[] v = new int[p.length];
            for (int i = 0; i < p.length; i++) {
                String s = p[i].trim();
                if (!s.matches("\\d{1,5}") || Integer.parseInt(s) < 1 || Integer.parseInt(s) > 65535) {
                    throw new IllegalArgumentException("--demo-ports: '" + s + "' is not a port (1..65535)");
                }
                v[i] = Integer.parseInt(s);
            }
            return p.length == 4 ? new Ports(v[0], v[1], v[2], v[3]) : new Ports(v[0], v[1], v[2], v[3], v[4], v[5]);
        }
    }

    private Demo() {}

    static String usEast(Ports p) {
        return """
                # clink quick start: cluster-us-east (MQTT clients on %1$d, link connections on %2$d).
                cluster {
                  name = "cluster-us-east"
                  links = [
                    {
                      # The remote cluster's name, exactly as its cluster.name.
                      name = "cluster-eu-west"
                      # The REMOTE cluster's link listener.
                      server = "127.0.0.1:%4$d"
                      clientid = "clink-us-east"
                      # What this cluster wants to receive from cluster-eu-west.
                      topics = ["#"]
                    }
                  ]
                }

                listeners {
                  tcp.default { bind = "127.0.0.1:%1$d" }
                  tcp.clink { bind = "127.0.0.1:%2$d" }
                }

                management { bind = "127.0.0.1:%6$d" }
                """.formatted(p.usMqtt(), p.usLink(), p.euMqtt(), p.euLink(), "", p.usApi());
    }

    static String euWest(Ports p, List<String> topics) {
        String t = topics.isEmpty() ? "[]" : "[\"" + String.join("\", \"", topics) + "\"]";
        return """
                # clink quick start: cluster-eu-west (MQTT clients on %3$d, link connections on %4$d).
                cluster {
                  name = "cluster-eu-west"
                  links = [
                    {
                      # The remote cluster's name, exactly as its cluster.name.
                      name = "cluster-us-east"
                      # The REMOTE cluster's link listener.
                      server = "127.0.0.1:%2$d"
                      clientid = "clink-eu-west"
                      # What this cluster wants to receive from cluster-us-east.
                      topics = %5$s
                    }
                  ]
                }

                listeners {
                  tcp.default { bind = "127.0.0.1:%3$d" }
                  tcp.clink { bind = "127.0.0.1:%4$d" }
                }

                management { bind = "127.0.0.1:%6$d" }
                """.formatted(p.usMqtt(), p.usLink(), p.euMqtt(), p.euLink(), t, p.euApi());
    }

    /** Reads a demo configuration; its state goes to {@link #dataDir}, not into the working directory. */
    static BrokerConfig config(String name, String hocon) {
        ConfigDocument doc = ClusterLinkConfigLoader.parseString(hocon, name);
        BrokerConfig c = BrokerConfig.from(doc, name, Path.of("").toAbsolutePath());
        return c.withDataDir(dataDir(c.cluster().name()));
    }

    /** Where the demo's cluster keeps its state: one folder per cluster under the system temporary directory. */
    static Path dataDir(String cluster) {
        return Path.of(System.getProperty("java.io.tmpdir"), "clink-demo", cluster)
                .toAbsolutePath();
    }

    /**
     * A fresh administrator key for the demo's management APIs: {@code demo-<hex>:<secret>}, random each start, so
     * that a demo left running is not open to whoever guesses a fixed secret.
     */
    static String newApiKey() {
        java.security.SecureRandom random = new java.security.SecureRandom();
        byte[] id = new byte[4];
        byte[] secret = new byte[24];
        random.nextBytes(id);
        random.nextBytes(secret);
        return "demo-" + java.util.HexFormat.of().formatHex(id) + ":"
                + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /**
     * Writes the demo's {@code api_key.bootstrap_file} (readable by the owner only) under the demo's temporary
     * directory (deleted when the JVM exits) and returns the HOCON line that names it, to append to both clusters' configuration.
     */
    static String apiKeySetting(String apiKey) throws java.io.IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "clink-demo").toAbsolutePath();
        java.nio.file.Files.createDirectories(dir);
        // One file per run: two demos started at once must not overwrite each other's key.
        Path file = java.nio.file.FileSystems.getDefault()
                        .supportedFileAttributeViews()
                        .contains("posix")
                ? java.nio.file.Files.createTempFile(
                        dir,
                        "api-keys-",
                        "",
                        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")))
                : java.nio.file.Files.createTempFile(dir, "api-keys-", "");
        file.toFile().deleteOnExit();
        java.nio.file.Files.writeString(file, apiKey + ":administrator\n");
        String quoted = file.toString().replace("\\", "\\\\").replace("\"", "\\\"");
        return "\napi_key { bootstrap_file = \"" + quoted + "\" }\n";
    }

    /**
     * What to run in two more terminals to see the link work, and the {@code curl} commands that read and manage the
     * links with the key generated for this run.
     */
    static String instructions(Ports p, String apiKey) {
        return """

                Two linked clusters are running. In another terminal, subscribe on cluster-us-east:
                  mosquitto_sub -h 127.0.0.1 -p %1$d -t 'linked/#' -q 1 -v
                and in a third, publish on cluster-eu-west:
                  mosquitto_pub -h 127.0.0.1 -p %3$d -t 'linked/42' -m 'Hello from the other side!' -q 1
                The subscriber prints: linked/42 Hello from the other side!
                The other way round:
                  mosquitto_sub -h 127.0.0.1 -p %3$d -t 'linked/#' -q 1 -v
                  mosquitto_pub -h 127.0.0.1 -p %1$d -t 'linked/1' -m 'Hello from US!' -q 1
                The links' status and metrics, from each cluster's management API (the API key is new each run):
                  curl -u '%7$s' http://127.0.0.1:%5$d/api/v5/cluster/links
                  curl -u '%7$s' http://127.0.0.1:%5$d/api/v5/cluster/links/link/cluster-eu-west/metrics
                  curl -u '%7$s' http://127.0.0.1:%6$d/api/v5/cluster/links/link/cluster-us-east/metrics
                Manage links at run time, for example on cluster-us-east: add a link, list, delete it:
                  curl -u '%7$s' -X POST http://127.0.0.1:%5$d/api/v5/cluster/links -H 'Content-Type: application/json' -d '{"name":"cluster-ap-south","server":"127.0.0.1:11885","topics":["ap/#"]}'
                  curl -u '%7$s' http://127.0.0.1:%5$d/api/v5/cluster/links
                  curl -u '%7$s' -X DELETE http://127.0.0.1:%5$d/api/v5/cluster/links/link/cluster-ap-south
                Press Ctrl-C to stop both clusters.
                """.formatted(p.usMqtt(), p.usLink(), p.euMqtt(), p.euLink(), p.usApi(), p.euApi(), apiKey);
    }
}
