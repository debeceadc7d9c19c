package io.clink.hivemq;

import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.client.parameter.Listener;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.auth.ModifiableDefaultPermissions;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates link connections on the link listeners against fixed lists of users (one list per listener), each
 * allowed to speak for one
 * remote cluster only: it may publish to {@code $LINK/cluster/route/<cluster>} and {@code $LINK/cluster/msg/<cluster>}
 * and subscribe to {@code $LINK/cluster/resp/<cluster>/#}, nothing else. A wrong user name or password is refused
 * with CONNACK 0x86. A publish to any other {@code $LINK/...} topic (another cluster's, or one no client may publish
 * to) is refused with PUBACK 0x87 and closes the connection with DISCONNECT 0x87 ({@link HiveMqLocalBroker}).
 *
 * <p>Connections on listeners without a list (ordinary MQTT listeners, or a link listener left open to anonymous
 * link connections) are accepted without checks, as HiveMQ does when no authentication extension is
 * installed. That suits a broker whose only extension is clink ({@code clink-broker}); a HiveMQ with its own
 * authentication extension should leave this off and authenticate link users there.
 *
 * <p>Thread-safe and stateless; one instance serves every connection.
 *
 * @since 0.1.0
 */
public final class LinkAuthenticator implements SimpleAuthenticator {

    /** Connection attribute holding the cluster an authenticated link user may speak for. */
    static final String CLUSTER_ATTRIBUTE = "io.clink.link-cluster";

    private static final Logger LOG = LoggerFactory.getLogger(LinkAuthenticator.class);

    /**
     * One user allowed on the link listener.
     *
     * @param username the user name, not empty
     * @param password the password
     * @param cluster the remote cluster it may speak for (its {@code cluster.name})
     * @since 0.1.0
     */
    public record LinkUser(String username, String password, String cluster) {

        /**
         * Validates the fields.
         *
         * @throws IllegalArgumentException if the user name or cluster is empty, or the cluster contains a topic
         *     separator or wildcard
         */
        public LinkUser {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(cluster, "cluster");
            if (username.isEmpty()) {
                throw new IllegalArgumentException("username must not be empty");
            }
            if (cluster.isEmpty() || cluster.chars().anyMatch(c -> c == '/' || c == '+' || c == '#')) {
                throw new IllegalArgumentException(
                        "cluster must be a cluster name (no '/', '+' or '#'): '" + cluster + "'");
            }
        }

        /** Never shows the password. */
        @Override
        public String toString() {
            return "LinkUser{username=" + username + ", cluster=" + cluster + "}";
        }
    }

    private final Map<String, List<LinkUser>> usersByListener;

    /**
     * Creates the authenticator for one link listener.
     *
     * @param linkListenerName the HiveMQ listener name of the link listener
     * @param users the allowed users, not empty
     * @since 0.1.0
     */
    public LinkAuthenticator(String linkListenerName, List<LinkUser> users) {
        this(Map.of(Objects.requireNonNull(linkListenerName, "linkListenerName"), users));
    }

    /**
     * Creates the authenticator for several link listeners, each with its own users.
     *
     * @param usersByListener for each HiveMQ listener name whose connections are checked, the users allowed there;
     *     at least one listener, every list not empty
     * @throws IllegalArgumentException if the map or one of its lists is empty
     * @since 0.1.0
     */
    public LinkAuthenticator(Map<String, List<LinkUser>> usersByListener) {
        Map<String, List<LinkUser>> copy = new LinkedHashMap<>();
        usersByListener.forEach((listener, users) -> {
            if (users.isEmpty()) {
                throw new IllegalArgumentException(
                        "at least one link user is required for listener '" + listener + "'");
            }
            copy.put(listener, List.copyOf(users));
        });
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("at least one link user is required");
        }
        this.usersByListener = Collections.unmodifiableMap(copy);
    }

    @Override
    public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
        String listener = input.getConnectionInformation()
                .getListener()
                .map(Listener::getName)
                .orElse(null);
        List<LinkUser> users = listener == null ? null : usersByListener.get(listener);
        if (users == null) {
            output.authenticateSuccessfully();
            return;
        }
        String username = input.getConnectPacket().getUserName().orElse(null);
        byte[] password = input.getConnectPacket()
                .getPassword()
                .map(LinkAuthenticator::bytes)
                .orElse(new byte[0]);
        LinkUser match = null;
        for (LinkUser u : users) {
            // Compare every password in constant time, so timing tells nothing about which user name exists.
            boolean ok = MessageDigest.isEqual(u.password().getBytes(StandardCharsets.UTF_8), password);
            if (ok && u.username().equals(username)) {
                match = u;
            }
        }
        if (match == null) {
            LOG.warn(
                    "Refused link connection {} on listener '{}': unknown user '{}' or wrong password",
                    input.getClientInformation().getClientId(),
                    listener,
                    username);
            output.failAuthentication(
                    ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "unknown link user or wrong password");
            return;
        }
        // The publish interceptor runs before HiveMQ's publish authorization, so it checks the cluster itself.
        input.getConnectionInformation().getConnectionAttributeStore().putAsString(CLUSTER_ATTRIBUTE, match.cluster());
        ModifiableDefaultPermissions p = output.getDefaultPermissions();
        p.add(permission("$LINK/cluster/route/" + match.cluster(), TopicPermission.MqttActivity.PUBLISH));
        p.add(permission("$LINK/cluster/msg/" + match.cluster(), TopicPermission.MqttActivity.PUBLISH));
        p.add(permission("$LINK/cluster/resp/" + match.cluster() + "/#", TopicPermission.MqttActivity.SUBSCRIBE));
        p.setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
        output.authenticateSuccessfully();
    }

    private static TopicPermission permission(String filter, TopicPermission.MqttActivity activity) {
        return Builders.topicPermission()
                .topicFilter(filter)
                .type(TopicPermission.PermissionType.ALLOW)
                .activity(activity)
                .build();
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }
}
