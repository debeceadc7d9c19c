package io.clink.testkit.mqtt;

import io.clink.api.broker.ClusterLinkHooks;
import io.clink.api.broker.LocalBroker;
import io.clink.api.transport.LinkClient;
import io.clink.api.transport.LinkClientOptions;
import io.clink.api.transport.LinkTransport;
import io.clink.testkit.LocalBrokerHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.jspecify.annotations.Nullable;

/**
 * The {@link LocalBrokerHarness} of an adapter whose broker runs embedded on 127.0.0.1, with an ordinary MQTT listener
 * and a link listener, typically one broker for the whole test JVM (see {@link io.clink.testkit.JvmShared}).
 *
 * <p>Each test: {@link #start} attaches the suite's hooks to the adapter; contract clients connect with clean start
 * and session expiry 0, so they leave no session behind, the {@code $LINK/#} spy on the link listener (adapters
 * refuse that subscription on ordinary listeners); link clients connect to the link listener with clean start;
 * {@link #close()} closes every client of the test and detaches the hooks, leaving the broker running.
 *
 * <p>Not thread-safe: the contract suite drives it from the test thread.
 */
public final class EmbeddedBrokerHarness implements LocalBrokerHarness {

    /**
     * Where the embedded broker listens, and its adapter.
     *
     * @param adapter the broker's {@link LocalBroker} adapter
     * @param host the host both listeners are bound to, e.g. {@code 127.0.0.1}
     * @param mqttPort the ordinary MQTT listener's port
     * @param linkPort the link listener's port (where {@code $LINK/...} is accepted)
     */
    public record Broker(LocalBroker adapter, String host, int mqttPort, int linkPort) {
        public Broker {
            Objects.requireNonNull(adapter, "adapter");
            Objects.requireNonNull(host, "host");
        }
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Callable<Broker> broker;
    private final LinkTransport transport;
    private final boolean supportsQueueSubscriptions;
    private final List<MqttContractClient> clients = new ArrayList<>();
    private final List<Mqtt311ContractClient> clients311 = new ArrayList<>();
    private final List<LinkClient> links = new ArrayList<>();
    private @Nullable Broker started;

    /**
     * @param broker gives the running broker at {@link #start}, starting it if it is not yet (a {@code
     *     JvmShared::get}, for example)
     * @param transport makes the link clients, e.g. clink-paho-transport's {@code PahoLinkTransport}
     * @param supportsQueueSubscriptions whether the broker knows EMQX's {@code $queue/} subscriptions
     */
    public EmbeddedBrokerHarness(Callable<Broker> broker, LinkTransport transport, boolean supportsQueueSubscriptions) {
        this.broker = Objects.requireNonNull(broker, "broker");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.supportsQueueSubscriptions = supportsQueueSubscriptions;
    }

    @Override
    public LocalBroker start(ClusterLinkHooks hooks) throws Exception {
        Broker b = broker.call();
        started = b;
        b.adapter().attach(hooks);
        return b.adapter();
    }

    @Override
    public TestClient connectClient(String clientId) throws Exception {
        return connect(running().mqttPort(), clientId);
    }

    @Override
    public TestClient connectMqtt311Client(String clientId) throws Exception {
        String uri = "tcp://" + running().host() + ":" + running().mqttPort();
        Mqtt311ContractClient c = Mqtt311ContractClient.connect(uri, clientId, CONNECT_TIMEOUT);
        clients311.add(c);
        return c;
    }

    @Override
    public TestClient connectLinkSpy(String clientId) throws Exception {
        return connect(running().linkPort(), clientId);
    }

    @Override
    public LinkClient newLinkClient(String clientId) {
        return newLinkClient(clientId, LinkClientOptions.DEFAULT_KEEP_ALIVE);
    }

    @Override
    public LinkClient newLinkClient(String clientId, Duration keepAlive) {
        Broker b = running();
        LinkClient l = transport.createClient(LinkClientOptions.builder()
                .host(b.host())
                .port(b.linkPort())
                .clientId(clientId)
                .cleanStart(true)
                .keepAlive(keepAlive)
                .build());
        links.add(l);
        return l;
    }

    @Override
    public boolean supportsQueueSubscriptions() {
        return supportsQueueSubscriptions;
    }

    @Override
    public void close() {
        for (MqttContractClient c : clients) {
            c.client().closeQuietly();
        }
        clients.clear();
        for (Mqtt311ContractClient c : clients311) {
            c.closeQuietly();
        }
        clients311.clear();
        for (LinkClient l : links) {
            try {
                l.close();
            } catch (RuntimeException e) {
                // Already closed by the test.
            }
        }
        links.clear();
        Broker b = started;
        if (b != null) {
            b.adapter().detach();
        }
    }

    private Broker running() {
        Broker b = started;
        if (b == null) {
            throw new IllegalStateException("start(hooks) was not called");
        }
        return b;
    }

    private MqttContractClient connect(int port, String clientId) throws Exception {
        MqttConnectionOptions o = MqttTestClient.defaultOptions();
        o.setSessionExpiryInterval(0L);
        String uri = "tcp://" + running().host() + ":" + port;
        MqttContractClient c = new MqttContractClient(MqttTestClient.connect(uri, clientId, o, CONNECT_TIMEOUT));
        clients.add(c);
        return c;
    }
}
