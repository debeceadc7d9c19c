package io.clink.hivemq.internal;

import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.client.ClientContext;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;
import com.hivemq.extension.sdk.api.client.parameter.InitializerInput;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.auth.ModifiableDefaultPermissions;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.intializer.ClientInitializer;
import java.util.Objects;

/*
 * Sets up each new connection: its link permissions and its interceptors.
 *
 * Invariants: a connection that did not arrive on a link listener gets a DENY for $LINK/# in its default permissions
 * (so such a SUBSCRIBE is refused with 0x87) while the default behaviour in place stays; a connection on a link
 * listener is limited to the cluster its link user authenticated for, if any (the authenticator's connection attribute). Every
 * connection gets its own LinkAwarePublishInterceptor and SubscriptionTracker, sharing its ConnectionState.
 *
 * Threads: HiveMQ's initializer thread for the connection, once per connection, before or after its connection-start
 * lifecycle event (no order between them): whichever comes first registers the connection, the registry gives both
 * the same ConnectionState.
 */
/** HiveMQ's client initializer for clink: per-connection permissions and interceptors. */
public final class LinkConnectionInitializer implements ClientInitializer {

    private static final String LINK_FILTER = "$LINK/#";

    private final ConnectionRegistry registry;
    private final AttachedHooks hooks;
    private final LinkClientCloser closer;
    private final String clusterAttribute;

    /**
     * @param clusterAttribute the connection attribute in which the link authenticator stores the one cluster a link
     *     user may speak for
     */
    public LinkConnectionInitializer(
            ConnectionRegistry registry, AttachedHooks hooks, LinkClientCloser closer, String clusterAttribute) {
        this.clusterAttribute = Objects.requireNonNull(clusterAttribute, "clusterAttribute");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.hooks = Objects.requireNonNull(hooks, "hooks");
        this.closer = Objects.requireNonNull(closer, "closer");
    }

    @Override
    public void initialize(InitializerInput input, ClientContext context) {
        ConnectionInformation info = input.getConnectionInformation();
        String clientId = input.getClientInformation().getClientId();
        ConnectionState state = registry.findOrRegister(info, clientId);
        if (!state.onLinkListener()) {
            denyLinkTopics(context.getDefaultPermissions());
        } else {
            state.restrictTo(info.getConnectionAttributeStore()
                    .getAsString(clusterAttribute)
                    .orElse(null));
        }
        context.addPublishInboundInterceptor(
                new LinkAwarePublishInterceptor(state, Codes.protocolVersion(info.getMqttVersion()), hooks, closer));
        SubscriptionTracker subscriptions = new SubscriptionTracker(state, hooks);
        context.addSubscribeInboundInterceptor(subscriptions);
        context.addSubackOutboundInterceptor(subscriptions);
        context.addUnsubscribeInboundInterceptor(subscriptions);
    }

    /**
     * Adds a DENY for {@code $LINK/#}. Adding a permission would flip HiveMQ's default behaviour to DENY, so the
     * behaviour in place before (ALLOW unless another extension chose) is set again.
     */
    private static void denyLinkTopics(ModifiableDefaultPermissions permissions) {
        DefaultAuthorizationBehaviour before = permissions.getDefaultBehaviour();
        permissions.add(Builders.topicPermission()
                .topicFilter(LINK_FILTER)
                .type(TopicPermission.PermissionType.DENY)
                .activity(TopicPermission.MqttActivity.ALL)
                .build());
        permissions.setDefaultBehaviour(before);
    }
}
