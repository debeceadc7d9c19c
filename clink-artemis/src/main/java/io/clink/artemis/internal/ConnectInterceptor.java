package io.clink.artemis.internal;

import io.clink.api.broker.adapter.HooksHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Set;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTInterceptor;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTProtocolHandler;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptor;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyConnection;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.remoting.Acceptor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * The one Artemis interceptor the adapter registers. On each CONNECT it records the connection (client id, user,
 * acceptor, clean start, session expiry) and places a ConnectionHandler just before Artemis's MQTTProtocolHandler in
 * the channel's pipeline; every later packet is that handler's business. It passes every packet on (returning false
 * would make Artemis drop the connection).
 *
 * Threads: Artemis calls incoming interceptors on the channel's event loop inside MQTTProtocolHandler.channelRead,
 * so changing the pipeline here is safe and takes effect for the very next packet.
 */
/** Installs the adapter's per-connection handler at CONNECT. Thread-safe, stateless apart from its collaborators. */
public final class ConnectInterceptor implements MQTTInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectInterceptor.class);
    private static final String HANDLER_NAME = "clink-link";

    private final ActiveMQServer server;
    private final Set<String> linkAcceptors;
    private final ConnectionRegistry registry;
    private final HooksHolder hooks;

    public ConnectInterceptor(
            ActiveMQServer server, Set<String> linkAcceptors, ConnectionRegistry registry, HooksHolder hooks) {
        this.server = server;
        this.linkAcceptors = Set.copyOf(linkAcceptors);
        this.registry = registry;
        this.hooks = hooks;
    }

    @Override
    public boolean intercept(MqttMessage packet, RemotingConnection connection) {
        if (packet instanceof MqttConnectMessage connect) {
            try {
                install(connect, connection);
            } catch (RuntimeException e) {
                // The client is still served by Artemis; clink just does not see it.
                LOG.warn(
                        "clink could not follow MQTT connection {}: {}",
                        connection.getRemoteAddress(),
                        e.toString(),
                        e);
            }
        }
        return true;
    }

    private void install(MqttConnectMessage connect, RemotingConnection connection) {
        if (!(connection.getTransportConnection() instanceof NettyConnection netty)) {
            return;
        }
        Channel channel = netty.getChannel();
        ChannelPipeline pipeline = channel.pipeline();
        ChannelHandlerContext artemis = pipeline.context(MQTTProtocolHandler.class);
        if (artemis == null || pipeline.get(HANDLER_NAME) != null) {
            return;
        }
        MqttConnectVariableHeader header = connect.variableHeader();
        MqttConnectPayload payload = connect.payload();
        int version = header.version();
        boolean cleanStart = header.isCleanSession();
        boolean endsOnClose;
        if (version >= 5) {
            Integer expiry = Packets.intProperty(header.properties(), MqttPropertyType.SESSION_EXPIRY_INTERVAL);
            endsOnClose = expiry == null || expiry == 0;
        } else {
            endsOnClose = cleanStart;
        }
        String listener = acceptorOf(channel.localAddress());
        ConnectionState state = new ConnectionState(
                registry.newConnectionId(),
                payload.userName(),
                hostOf(channel.remoteAddress()),
                listener,
                listener != null && linkAcceptors.contains(listener),
                cleanStart,
                endsOnClose,
                version);
        String clientId = payload.clientIdentifier();
        if (clientId != null && !clientId.isEmpty()) {
            state.identify(clientId);
            state.replaced(registry.claim(state));
        }
        ConnectionHandler handler = new ConnectionHandler(state, registry, hooks, connection);
        state.handler(handler);
        pipeline.addBefore(artemis.name(), HANDLER_NAME, handler);
    }

    private @Nullable String acceptorOf(@Nullable SocketAddress local) {
        if (!(local instanceof InetSocketAddress address)) {
            return null;
        }
        for (Map.Entry<String, Acceptor> e :
                server.getRemotingService().getAcceptors().entrySet()) {
            if (e.getValue() instanceof NettyAcceptor acceptor && acceptor.getActualPort() == address.getPort()) {
                return e.getKey();
            }
        }
        return null;
    }

    private static @Nullable String hostOf(@Nullable SocketAddress remote) {
        return remote instanceof InetSocketAddress address && address.getAddress() != null
                ? address.getAddress().getHostAddress()
                : null;
    }
}
