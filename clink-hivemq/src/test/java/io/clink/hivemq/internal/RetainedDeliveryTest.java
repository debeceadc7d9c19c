package io.clink.hivemq.internal;

import static io.clink.hivemq.internal.Stubs.stub;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.services.general.IterationCallback;
import com.hivemq.extension.sdk.api.services.general.IterationContext;
import com.hivemq.extension.sdk.api.services.publish.Publish;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import com.hivemq.extension.sdk.api.services.publish.PublishToClientResult;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import com.hivemq.extension.sdk.api.services.subscription.SubscriberForTopicResult;
import com.hivemq.extension.sdk.api.services.subscription.SubscriptionStore;
import com.hivemq.extension.sdk.api.services.subscription.SubscriptionType;
import com.hivemq.extension.sdk.api.services.subscription.TopicSubscription;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * {@link RetainedDelivery} over stand-ins for HiveMQ's services (dynamic proxies answering only the calls it makes):
 * which clients get a copy, and that nothing goes through {@code PublishService.publish}, which would store it.
 */
class RetainedDeliveryTest {

    private static final String TOPIC = "site/a/state";

    private final Map<SubscriptionType, List<String>> subscribers = new HashMap<>();
    private final Map<String, Set<TopicSubscription>> subscriptionsOf = new HashMap<>();
    private final Set<String> connected = new HashSet<>();
    private final List<String> sentTo = new ArrayList<>();
    private final List<String> unexpectedCalls = new ArrayList<>();
    private final Publish publish = stub(Publish.class, (name, args) -> name.equals("getTopic") ? TOPIC : null);
    private final RetainedDelivery delivery =
            new RetainedDelivery(publishService(), subscriptionStore(), clientService());

    @Test
    void deliver_plainSubscribers_oneCopyEachAndNoPublish() {
        subscribers.put(SubscriptionType.INDIVIDUAL, List.of("a", "b"));

        delivery.deliver(publish, TOPIC, "remote");

        assertThat(sentTo).containsExactly("a", "b");
        assertThat(unexpectedCalls).isEmpty();
    }

    @Test
    void deliver_sharedGroups_oneMemberPerGroupAndFilter() {
        subscribers.put(SubscriptionType.INDIVIDUAL, List.of("plain"));
        subscribers.put(SubscriptionType.SHARED, List.of("m1", "m2", "m3"));
        subscriptionsOf.put("m1", Set.of(sub("$share/g/site/#")));
        subscriptionsOf.put("m2", Set.of(sub("$share/g/site/#"), sub("$share/h/site/+/state")));
        subscriptionsOf.put("m3", Set.of(sub("$share/g/other/#"), sub("site/a/state")));
        connected.addAll(Set.of("m1", "m2", "m3"));

        delivery.deliver(publish, TOPIC, "remote");

        assertThat(sentTo.get(0)).isEqualTo("plain");
        assertThat(sentTo.subList(1, sentTo.size()))
                .as("group g on site/# from m1 or m2, group h from m2")
                .hasSize(2)
                .contains("m2")
                .doesNotContain("m3");
        assertThat(unexpectedCalls).isEmpty();
    }

    @Test
    void deliver_sharedGroupWithOfflineMember_sentToTheConnectedOne() {
        subscribers.put(SubscriptionType.SHARED, List.of("m1", "m2"));
        subscriptionsOf.put("m1", Set.of(sub("$share/g/site/#")));
        subscriptionsOf.put("m2", Set.of(sub("$share/g/site/#")));
        connected.add("m2");

        for (int i = 0; i < 3; i++) {
            delivery.deliver(publish, TOPIC, "remote");
        }

        assertThat(sentTo).containsExactly("m2", "m2", "m2");
    }

    @Test
    void deliver_sharedGroupAllConnected_rotatesAcrossMessages() {
        subscribers.put(SubscriptionType.SHARED, List.of("m1", "m2"));
        subscriptionsOf.put("m1", Set.of(sub("$share/g/site/#")));
        subscriptionsOf.put("m2", Set.of(sub("$share/g/site/#")));
        connected.addAll(Set.of("m1", "m2"));

        for (int i = 0; i < 4; i++) {
            delivery.deliver(publish, TOPIC, "remote");
        }

        assertThat(sentTo).containsExactly("m1", "m2", "m1", "m2");
    }

    @Test
    void deliver_noSubscribers_sendsNothing() {
        delivery.deliver(publish, TOPIC, "remote");

        assertThat(sentTo).isEmpty();
        assertThat(unexpectedCalls).isEmpty();
    }

    // ---- stand-ins ----

    private PublishService publishService() {
        return stub(PublishService.class, (name, args) -> {
            if (name.equals("publishToClient")) {
                sentTo.add((String) args[1]);
                return CompletableFuture.completedFuture(PublishToClientResult.SUCCESSFUL);
            }
            unexpectedCalls.add("PublishService." + name);
            return CompletableFuture.completedFuture(null);
        });
    }

    @SuppressWarnings("unchecked")
    private SubscriptionStore subscriptionStore() {
        return stub(SubscriptionStore.class, (name, args) -> {
            if (name.equals("iterateAllSubscribersForTopic") && args.length == 4) {
                IterationCallback<SubscriberForTopicResult> callback =
                        (IterationCallback<SubscriberForTopicResult>) args[2];
                List<String> ids = subscribers.getOrDefault((SubscriptionType) args[1], List.of());
                ((Executor) args[3]).execute(() -> {
                    IterationContext context = stub(IterationContext.class, (n, a) -> null);
                    for (String id : ids) {
                        callback.iterate(context, () -> id);
                    }
                });
                return CompletableFuture.completedFuture(null);
            }
            if (name.equals("getSubscriptions")) {
                return CompletableFuture.completedFuture(subscriptionsOf.getOrDefault((String) args[0], Set.of()));
            }
            unexpectedCalls.add("SubscriptionStore." + name);
            return CompletableFuture.failedFuture(new UnsupportedOperationException(name));
        });
    }

    private ClientService clientService() {
        return stub(ClientService.class, (name, args) -> {
            if (name.equals("isClientConnected")) {
                return CompletableFuture.completedFuture(connected.contains((String) args[0]));
            }
            unexpectedCalls.add("ClientService." + name);
            return CompletableFuture.failedFuture(new UnsupportedOperationException(name));
        });
    }

    private static TopicSubscription sub(String filter) {
        return stub(TopicSubscription.class, (name, args) -> switch (name) {
            case "getTopicFilter" -> filter;
            case "getQos" -> Qos.AT_LEAST_ONCE;
            default -> null;
        });
    }
}
