package io.clink.broker.internal;

import io.clink.broker.BrokerConfig;
import io.clink.hivemq.LinkAuthenticator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.Subject;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyConnection;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager5;
import org.apache.activemq.artemis.spi.core.security.jaas.UserPrincipal;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Artemis's security manager in clink-broker: the link users of {@code authentication = [...]} on the link listeners,
 * as {@link LinkAuthenticator} does on HiveMQ.
 *
 * <ul>
 *   <li>On a link listener with users, a wrong user name or password is refused (Artemis answers CONNACK 0x86, MQTT
 *       3.1.1: return code 4); a link user may then only subscribe to its cluster's {@code $LINK/cluster/resp/<cluster>/#}
 *       and may not publish or subscribe anything else through Artemis. (Its {@code $LINK} publishes never reach
 *       Artemis: the adapter consumes them.)
 *   <li>Every other connection (the default listener, a link listener without users) is accepted as it is, user name
 *       or not, with every permission: clink-broker has no other authentication, as with HiveMQ.
 * </ul>
 *
 * <p>A connection's listener is found by the local address of its socket. Artemis must run with its authentication
 * and authorization caches off ({@code size 0}): a cache keyed by user name and password would let a result from one
 * listener answer for another. Thread-safe and immutable; Artemis calls it on its I/O and session threads.
 */
public final class ArtemisLinkSecurity implements ActiveMQSecurityManager5 {

    private static final Logger LOG = LoggerFactory.getLogger(ArtemisLinkSecurity.class);
    /** How a link user's subscription to its response topics reaches Artemis: the MQTT filter as a core address. */
    private static final String RESPONSE_ADDRESS_PREFIX = "$LINK.cluster.resp.";

    private final Map<Listener, List<LinkAuthenticator.LinkUser>> usersByListener;
    private final @Nullable Listener clusterListener;

    /** A listener's address; {@code host} null for all interfaces. */
    private record Listener(@Nullable InetAddress host, int port) {
        boolean accepts(InetSocketAddress local) {
            return port == local.getPort() && (host == null || host.equals(local.getAddress()));
        }
    }

    /** The cluster a link user speaks for. */
    private record LinkCluster(String getName) implements Principal {}

    /**
     * Creates the manager.
     *
     * @param usersByBind for each link listener that authenticates, its address and users (not empty)
     * @throws IllegalArgumentException if a host cannot be resolved or a list is empty
     */
    public ArtemisLinkSecurity(Map<BrokerConfig.Bind, List<LinkAuthenticator.LinkUser>> usersByBind) {
        this(usersByBind, null);
    }

    /**
     * Creates the manager with a listener nobody may use but Artemis's cluster user, whom Artemis checks itself
     * before asking this manager.
     *
     * @param usersByBind for each link listener that authenticates, its address and users (not empty)
     * @param clusterBind the cluster acceptor ({@code node.cluster_bind}), or null on a single node
     * @throws IllegalArgumentException if a host cannot be resolved or a list is empty
     */
    public ArtemisLinkSecurity(
            Map<BrokerConfig.Bind, List<LinkAuthenticator.LinkUser>> usersByBind,
            BrokerConfig.@Nullable Bind clusterBind) {
        this.clusterListener = clusterBind == null ? null : listener(clusterBind);
        Map<Listener, List<LinkAuthenticator.LinkUser>> copy = new LinkedHashMap<>();
        usersByBind.forEach((bind, users) -> {
            if (users.isEmpty()) {
                throw new IllegalArgumentException("no link user for " + bind);
            }
            copy.put(listener(bind), List.copyOf(users));
        });
        this.usersByListener = Map.copyOf(copy);
    }

    private static Listener listener(BrokerConfig.Bind bind) {
        try {
            InetAddress host = InetAddress.getByName(bind.host());
            return new Listener(host.isAnyLocalAddress() ? null : host, bind.port());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve listener host " + bind, e);
        }
    }

    @Override
    public @Nullable Subject authenticate(
            @Nullable String user,
            @Nullable String password,
            RemotingConnection connection,
            @Nullable String securityDomain) {
        if (clusterListener != null
                && localAddress(connection) instanceof InetSocketAddress local
                && clusterListener.accepts(local)) {
            LOG.warn(
                    "Refused connection from {} on the cluster listener: user '{}' is not the cluster user or the"
                            + " password is not node.cookie",
                    connection.getRemoteAddress(),
                    user);
            return null;
        }
        List<LinkAuthenticator.LinkUser> users = usersOf(connection);
        if (users == null) {
            // Artemis accepts a subject only with a user principal in it; an anonymous client gets an empty name.
            Subject anyone = new Subject();
            anyone.getPrincipals().add(new UserPrincipal(user == null ? "" : user));
            return anyone;
        }
        byte[] given = password == null ? new byte[0] : password.getBytes(StandardCharsets.UTF_8);
        LinkAuthenticator.LinkUser match = null;
        for (LinkAuthenticator.LinkUser u : users) {
            // Every password is compared in constant time, so timing tells nothing about which user name exists.
            boolean ok = MessageDigest.isEqual(u.password().getBytes(StandardCharsets.UTF_8), given);
            if (ok && u.username().equals(user)) {
                match = u;
            }
        }
        if (match == null) {
            LOG.warn(
                    "Refused link connection from {}: unknown user '{}' or wrong password",
                    connection.getRemoteAddress(),
                    user);
            return null;
        }
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal(match.username()));
        subject.getPrincipals().add(new LinkCluster(match.cluster()));
        return subject;
    }

    @Override
    public boolean authorize(
            @Nullable Subject subject, @Nullable Set<Role> roles, CheckType checkType, @Nullable String address) {
        if (subject == null) {
            return false;
        }
        Set<LinkCluster> cluster = subject.getPrincipals(LinkCluster.class);
        if (cluster.isEmpty()) {
            return true;
        }
        if (address == null || checkType == CheckType.SEND) {
            return false;
        }
        String own = RESPONSE_ADDRESS_PREFIX + cluster.iterator().next().getName();
        return address.equals(own) || address.startsWith(own + ".") || address.startsWith(own + "::");
    }

    /** Only {@link #authenticate(String, String, RemotingConnection, String)} is used: it knows the listener. */
    @Override
    public boolean validateUser(@Nullable String user, @Nullable String password) {
        return false;
    }

    /** Only {@link #authorize} is used. */
    @Override
    public boolean validateUserAndRole(
            @Nullable String user, @Nullable String password, @Nullable Set<Role> roles, CheckType checkType) {
        return false;
    }

    private @Nullable List<LinkAuthenticator.LinkUser> usersOf(RemotingConnection connection) {
        if (usersByListener.isEmpty()) {
            return null;
        }
        if (!(localAddress(connection) instanceof InetSocketAddress address)) {
            return null;
        }
        for (Map.Entry<Listener, List<LinkAuthenticator.LinkUser>> e : usersByListener.entrySet()) {
            if (e.getKey().accepts(address)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static @Nullable SocketAddress localAddress(RemotingConnection connection) {
        return connection.getTransportConnection() instanceof NettyConnection netty
                ? netty.getChannel().localAddress()
                : null;
    }

    @Override
    public String toString() {
        return "ArtemisLinkSecurity{listeners=" + usersByListener.size() + "}";
    }
}
