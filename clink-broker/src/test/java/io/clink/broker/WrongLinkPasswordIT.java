package io.clink.broker;

import static io.clink.broker.ManagementApiIT.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clink.api.link.ActorState;
import io.clink.api.link.ActorStatus;
import io.clink.api.link.ForwardingStatus;
import io.clink.api.link.LinkStatus;
import io.clink.api.transport.DisconnectReason;
import io.clink.core.ClusterLink;
import io.clink.core.config.ClusterLinkConfigLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * cluster-us-east links to cluster-eu-west with a password eu-west's link listener does not accept: eu-west refuses
 * the CONNECT, and us-east reports the link as not connected with the refusal as the reason, in the engine's status
 * and in the management API. The link the other way (us-east's listener has no authentication list) comes up, so the
 * refusal is the password's doing, not a broken pair.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WrongLinkPasswordIT {

    private static final String US = "cluster-us-east";
    private static final String EU = "cluster-eu-west";
    /** CONNACK: bad user name or password, or not authorized. */
    private static final List<Integer> REFUSAL_CODES = List.of(0x86, 0x87);

    @TempDir
    Path dir;

    @AutoClose
    private final OpenBrokers open = new OpenBrokers();

    @Test
    void link_wrongPassword_refusedAndReportedInStatusAndApi() throws Exception {
        Demo.Ports p = TestPorts.demo();
        EmbeddedClusterBroker eu =
                start("eu.conf", """
                cluster { name = "%s", links = [ { name = "%s", server = "127.0.0.1:%d", clientid = "clink-eu-west",
                                                   topics = ["#"] } ] }
                listeners {
                  tcp.default { bind = "127.0.0.1:%d" }
                  tcp.clink {
                    bind = "127.0.0.1:%d"
                    authentication = [ { username = "clink-us", password = "right-one", cluster = "%s" } ]
                  }
                }
                management { bind = "127.0.0.1:%d" }
                """.formatted(EU, US, p.usLink(), p.euMqtt(), p.euLink(), US, p.euApi()));
        EmbeddedClusterBroker us =
                start("us.conf", """
                cluster { name = "%s", links = [ { name = "%s", server = "127.0.0.1:%d", clientid = "clink-us-east",
                                                   username = "clink-us", password = "wrong-one", topics = ["#"] } ] }
                listeners { tcp.default { bind = "127.0.0.1:%d" }, tcp.clink { bind = "127.0.0.1:%d" } }
                management { bind = "127.0.0.1:%d" }
                """.formatted(US, EU, p.euLink(), p.usMqtt(), p.usLink(), p.usApi()));
        ClusterLink usLink = us.link().orElseThrow();
        ClusterLink euLink = eu.link().orElseThrow();

        await(
                "us-east's forwarding pool and actor were refused",
                () -> refused(usLink.status(EU).orElseThrow().forwardingLastDisconnect())
                        && usLink.status(EU).orElseThrow().actors().stream()
                                .anyMatch(a -> refused(a.lastDisconnect())));
        await(
                "eu-west's link to us-east (no authentication there) is up",
                () -> euLink.status(US).map(LinkStatus::isHealthy).orElse(false));

        LinkStatus status = usLink.status(EU).orElseThrow();
        assertThat(status.isHealthy()).isFalse();
        assertThat(status.forwarding()).isNotEqualTo(ForwardingStatus.CONNECTED);
        ActorStatus actor = status.actors().get(0);
        assertThat(actor.state()).isNotEqualTo(ActorState.ONLINE);
        assertThat(actor.lastDisconnect().cause()).isEqualTo(DisconnectReason.Cause.CONNECT_REFUSED);
        // eu-west never accepted us-east's actor, so it holds none of us-east's routes.
        assertThat(euLink.remoteRoutes(US)).isEmpty();

        JsonNode link = new ApiClient(us.managementUrl().orElseThrow())
                .json("/cluster/links")
                .get(0);
        assertThat(link.get("name").asText()).isEqualTo(EU);
        assertThat(link.get("status").asText()).isIn("disconnected", "connecting");
        JsonNode node = link.get("node_status").get(0);
        assertThat(node.get("status").asText()).isEqualTo(link.get("status").asText());
        assertThat(node.get("reason").asText()).startsWith("connect_refused (reason code 0x8");
        JsonNode last = link.get("clink").get("forwarding").get("last_disconnect");
        assertThat(last.get("cause").asText()).isEqualTo("connect_refused");
        assertThat(REFUSAL_CODES).contains(last.get("reason_code").asInt());
        JsonNode actorJson = link.get("clink").get("actors").get(0);
        assertThat(actorJson.get("last_disconnect").get("cause").asText()).isEqualTo("connect_refused");
        assertThat(link.get("clink").get("healthy").asBoolean()).isFalse();
        // The password is redacted, never shown.
        assertThat(link.get("password").asText()).isEqualTo("******");
        assertThat(link.toString()).doesNotContain("wrong-one");
    }

    private static boolean refused(DisconnectReason r) {
        return r != null
                && r.cause() == DisconnectReason.Cause.CONNECT_REFUSED
                && REFUSAL_CODES.contains(r.reasonCode());
    }

    private EmbeddedClusterBroker start(String name, String hocon) {
        BrokerConfig c = BrokerConfig.from(ClusterLinkConfigLoader.parseString(hocon, name), name, dir)
                .withDataDir(dir.resolve(name));
        return open.start(c);
    }
}
