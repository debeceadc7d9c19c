package io.clink.testkit;

import io.clink.api.broker.LinkConnection;
import io.clink.api.topic.TopicAlgebra;
import io.clink.api.transport.OutgoingPublish;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A network of in-memory link listeners, each backed by a {@link FakeLocalBroker}, that {@link InMemoryTransport}
 * clients connect to instead of opening sockets. Tests {@link #listen} on a host and port (a remote cluster's link
 * listener), give the engine under test a {@link #newTransport()}, drive everything with the {@link ManualTime}
 * passed here, and inject faults per {@link Endpoint} or per {@link InMemoryConnection}.
 *
 * <p>Semantics follow the transport SPI ({@code io.clink.api.transport}): a connect answers with the endpoint's
 * Maximum-Packet-Size, checks credentials (unknown user or wrong password: CONNECT_REFUSED 0x86; none given where
 * users are configured: 0x87), and opens a client session on the endpoint's broker; a publish to {@code $LINK/...}
 * reaches the broker's hooks through {@code onLinkPublish} and completes with its PUBACK code (QoS 1) or 0 (QoS 0);
 * a subscribe subscribes the connection on the broker, whose {@code reply}/{@code deliver} then reach the handler;
 * {@code LocalBroker.disconnect} drops the client with BROKER_DISCONNECT and the code; closing a client ends its
 * broker connection ({@code onConnectionClosed}).
 *
 * <p>Determinism: every future completion, listener and handler call, and every broker-side effect of a client
 * action, runs as a task on the {@link ManualTime} executor (or its scheduler, for delays and connect timeouts),
 * never on the caller's stack. Nothing happens until the test calls {@link ManualTime#runUntilIdle()} or
 * {@link ManualTime#advance}. Exceptions thrown by the engine's listeners and handlers are caught, as a real
 * transport logs them, and kept in {@link #callbackFailures()}.
 *
 * <p>Thread-safe: one lock guards the whole network; no broker, hook or engine callback runs while it is held.
 *
 * @since 0.1.0
 */
public final class InMemoryLinkNetwork {

    /** The listener name the in-memory endpoints report in {@link LinkConnection#listener()} unless set. */
    public static final String DEFAULT_LISTENER = "clink";

    /** The peer host the endpoints report in {@link LinkConnection#peerHost()}. */
    public static final String PEER_HOST = "in-memory";

    final Object lock = new Object();
    final ManualTime time;
    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    private final List<Throwable> callbackFailures = new ArrayList<>();

    /**
     * Creates an empty network driven by {@code time}.
     *
     * @param time the manual time whose executor and scheduler run everything, not null
     * @since 0.1.0
     */
    public InMemoryLinkNetwork(ManualTime time) {
        this.time = Objects.requireNonNull(time, "time");
    }

    /**
     * Opens a link listener on {@code host:port} backed by {@code broker}.
     *
     * @param host the host name clients use, not empty
     * @param port the port, 1..65535
     * @param broker the broker behind the listener, not null
     * @return the endpoint, accepting connects, without users (anonymous), with an unlimited packet size
     * @throws IllegalStateException if something already listens there
     * @throws IllegalArgumentException if the port is out of range or the host empty
     * @since 0.1.0
     */
    public Endpoint listen(String host, int port, FakeLocalBroker broker) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(broker, "broker");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be in 1..65535: " + port);
        }
        synchronized (lock) {
            String key = key(host, port);
            if (endpoints.containsKey(key)) {
                throw new IllegalStateException("something already listens on " + key);
            }
            Endpoint e = new Endpoint(host, port, broker);
            endpoints.put(key, e);
            return e;
        }
    }

    /**
     * The endpoint listening on {@code host:port}.
     *
     * @param host the host
     * @param port the port
     * @return the endpoint, or empty
     * @since 0.1.0
     */
    public Optional<Endpoint> endpoint(String host, int port) {
        synchronized (lock) {
            return Optional.ofNullable(endpoints.get(key(host, port)));
        }
    }

    /**
     * A new transport whose clients connect to this network's endpoints. Give one to each engine under test.
     *
     * @return the transport
     * @since 0.1.0
     */
    public InMemoryTransport newTransport() {
        return new InMemoryTransport(this);
    }

    /**
     * The manual time driving this network.
     *
     * @return the time
     * @since 0.1.0
     */
    public ManualTime time() {
        return time;
    }

    /**
     * Exceptions thrown by connection listeners and inbound-publish handlers, oldest first.
     *
     * @return a snapshot copy
     * @since 0.1.0
     */
    public List<Throwable> callbackFailures() {
        synchronized (lock) {
            return List.copyOf(callbackFailures);
        }
    }

    /**
     * The size of the MQTT 5 PUBLISH packet a client sends for {@code publish}, fixed header included, as compared
     * with the peer's Maximum-Packet-Size (MQTT 5 section 3.1.2.11.4): topic, packet identifier for QoS 1,
     * properties (Response-Topic, Correlation-Data) and payload.
     *
     * @param publish the message
     * @return the packet size in bytes
     * @since 0.1.0
     */
    public static long publishPacketSize(OutgoingPublish publish) {
        return PublishPacketSize.of(Objects.requireNonNull(publish, "publish"));
    }

    void callbackFailed(Throwable t) {
        synchronized (lock) {
            callbackFailures.add(t);
        }
    }

    private static String key(String host, int port) {
        return host + ':' + port;
    }

    /**
     * How an endpoint answers a CONNECT.
     *
     * @since 0.1.0
     */
    public enum ConnectMode {
        /** Accept (after the credential check). */
        ACCEPT,
        /** Refuse with the endpoint's refusal code: CONNECT_REFUSED. */
        REFUSE,
        /** Never answer: the connect future stays pending until the client is closed. */
        STALL,
        /** Never answer, and fail the connect with CONNECT_TIMEOUT after the client's connect timeout. */
        TIME_OUT
    }

    /**
     * One link listener: its broker, its settings, its faults, its connections and its traffic. Every setter takes
     * effect for the next connect or message.
     *
     * @since 0.1.0
     */
    public final class Endpoint {
        private final String host;
        private final int port;
        private final FakeLocalBroker broker;
        private final List<InMemoryConnection> connections = new ArrayList<>();
        private final InMemoryTraffic traffic = new InMemoryTraffic();
        private final MessageFaults faults = new MessageFaults();
        private final ConnectPolicy policy = new ConnectPolicy();
        private boolean open = true;

        private Endpoint(String host, int port, FakeLocalBroker broker) {
            this.host = host;
            this.port = port;
            this.broker = broker;
        }

        /**
         * The host clients connect to.
         *
         * @return the host
         * @since 0.1.0
         */
        public String host() {
            return host;
        }

        /**
         * The port clients connect to.
         *
         * @return the port
         * @since 0.1.0
         */
        public int port() {
            return port;
        }

        /**
         * The broker behind this listener.
         *
         * @return the broker
         * @since 0.1.0
         */
        public FakeLocalBroker broker() {
            return broker;
        }

        /**
         * Sets the Maximum-Packet-Size the CONNACK announces; clients reject larger publishes before sending.
         *
         * @param bytes positive
         * @return this endpoint
         * @throws IllegalArgumentException if not positive
         * @since 0.1.0
         */
        public Endpoint maximumPacketSize(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maximumPacketSize must be positive: " + bytes);
            }
            synchronized (lock) {
                policy.maximumPacketSize = bytes;
            }
            return this;
        }

        /**
         * Sets the listener name reported in {@link LinkConnection#listener()}.
         *
         * @param name the name, not empty
         * @return this endpoint
         * @since 0.1.0
         */
        public Endpoint listenerName(String name) {
            if (name.isEmpty()) {
                throw new IllegalArgumentException("listener name must not be empty");
            }
            synchronized (lock) {
                policy.listenerName = name;
            }
            return this;
        }

        /**
         * Adds a user. Once any user exists, connects must authenticate: no user name gives CONNECT_REFUSED 0x87
         * (not authorized), an unknown user or a wrong password 0x86 (bad user name or password).
         *
         * @param username the user name
         * @param password the password (UTF-8)
         * @return this endpoint
         * @since 0.1.0
         */
        public Endpoint addUser(String username, String password) {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            synchronized (lock) {
                policy.addUser(username, password.getBytes(StandardCharsets.UTF_8));
            }
            return this;
        }

        /**
         * Accepts connects again (after {@link #refuseConnects}, {@link #stallConnects} or {@link #timeOutConnects}).
         *
         * @return this endpoint
         * @since 0.1.0
         */
        public Endpoint acceptConnects() {
            return mode(ConnectMode.ACCEPT);
        }

        /**
         * Refuses new connects with a CONNACK carrying {@code reasonCode} (CONNECT_REFUSED).
         *
         * @param reasonCode a CONNACK failure code, 0x80..0xFF (for example 0x88 server unavailable)
         * @return this endpoint
         * @throws IllegalArgumentException if the code is not a failure code
         * @since 0.1.0
         */
        public Endpoint refuseConnects(int reasonCode) {
            if (reasonCode < 0x80 || reasonCode > 0xFF) {
                throw new IllegalArgumentException("a refusing CONNACK code is 0x80..0xFF: " + reasonCode);
            }
            synchronized (lock) {
                policy.refuseCode = reasonCode;
            }
            return mode(ConnectMode.REFUSE);
        }

        /**
         * Never answers new connects: their futures stay pending until the client is closed (which still returns
         * at once and fails them with CLOSED).
         *
         * @return this endpoint
         * @since 0.1.0
         */
        public Endpoint stallConnects() {
            return mode(ConnectMode.STALL);
        }

        /**
         * Never answers new connects, which then fail with CONNECT_TIMEOUT after the client's configured connect
         * timeout, as a real transport reports a silent peer.
         *
         * @return this endpoint
         * @since 0.1.0
         */
        public Endpoint timeOutConnects() {
            return mode(ConnectMode.TIME_OUT);
        }

        private Endpoint mode(ConnectMode m) {
            synchronized (lock) {
                policy.mode = m;
            }
            return this;
        }

        /**
         * Drops messages (both directions) whose topic satisfies {@code topics}. A dropped QoS 1 publish is never
         * acknowledged: its future fails when the connection goes. Replaces an earlier drop rule of this endpoint.
         *
         * @param topics the rule, not null
         * @return this endpoint
         * @since 0.1.0
         */
        public Endpoint dropMessages(Predicate<String> topics) {
            Objects.requireNonNull(topics, "topics");
            synchronized (lock) {
                faults.drop = topics;
            }
            return this;
        }

        /**
         * Drops messages (both directions) whose topic matches an MQTT topic filter, for example {@code
         * $LINK/cluster/resp/#}.
         *
         * @param filter a topic filter
         * @return this endpoint
         * @since 0.1.0
         */
        public Endpoint dropMessagesMatching(String filter) {
            Objects.requireNonNull(filter, "filter");
            return dropMessages(t -> TopicAlgebra.match(filter, t));
        }

        /**
         * Delays every message (both directions) by {@code delay} of manual time; messages of one connection keep
         * their order while the delay stays the same.
         *
         * @param delay zero or positive
         * @return this endpoint
         * @since 0.1.0
         */
        public Endpoint delayMessages(Duration delay) {
            MessageFaults.checkDelay(delay);
            synchronized (lock) {
                faults.delay = delay;
            }
            return this;
        }

        /**
         * Removes the drop and delay rules of this endpoint (connections' own rules stay).
         *
         * @return this endpoint
         * @since 0.1.0
         */
        public Endpoint clearMessageFaults() {
            synchronized (lock) {
                faults.clear();
            }
            return this;
        }

        /**
         * Cuts every open connection as a network failure would: clients see SOCKET_ERROR, the broker sees the
         * connections close.
         *
         * @return how many connections were cut
         * @since 0.1.0
         */
        public int cutAll() {
            int n = 0;
            for (InMemoryConnection c : connections()) {
                if (c.cut()) {
                    n++;
                }
            }
            return n;
        }

        /**
         * Stops listening: cuts every connection and frees the address, so that later connects fail with
         * SOCKET_ERROR (connection refused) until something listens there again.
         *
         * @since 0.1.0
         */
        public void shutdown() {
            synchronized (lock) {
                open = false;
                endpoints.remove(key(host, port), this);
            }
            cutAll();
        }

        /**
         * The connections open now, oldest first.
         *
         * @return a snapshot copy
         * @since 0.1.0
         */
        public List<InMemoryConnection> connections() {
            synchronized (lock) {
                return connections.stream().filter(c -> c.open).toList();
            }
        }

        /**
         * Every connection ever accepted, open or not, oldest first.
         *
         * @return a snapshot copy
         * @since 0.1.0
         */
        public List<InMemoryConnection> allConnections() {
            synchronized (lock) {
                return List.copyOf(connections);
            }
        }

        /**
         * The traffic of all this endpoint's connections.
         *
         * @return the live counters
         * @since 0.1.0
         */
        public InMemoryTraffic traffic() {
            return traffic;
        }

        // ---- used by the client, under the network lock where noted

        boolean isOpen() {
            return open;
        }

        ConnectMode mode() {
            return policy.mode;
        }

        int refuseCode() {
            return policy.refuseCode;
        }

        long maxPacketSize() {
            return policy.maximumPacketSize;
        }

        String listener() {
            return policy.listenerName;
        }

        /** The CONNACK code for the credentials, 0 when accepted; called under the lock. */
        int authenticate(Optional<String> username, Optional<byte[]> password) {
            return policy.authenticate(username, password);
        }

        MessageFaults faults() {
            return faults;
        }

        void add(InMemoryConnection c) {
            connections.add(c);
        }

        @Override
        public String toString() {
            return "Endpoint{" + key(host, port) + '}';
        }
    }
}
