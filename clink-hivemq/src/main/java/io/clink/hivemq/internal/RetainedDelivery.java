package io.clink.hivemq.internal;

import com.hivemq.extension.sdk.api.services.publish.Publish;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import com.hivemq.extension.sdk.api.services.publish.PublishToClientResult;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import com.hivemq.extension.sdk.api.services.subscription.SubscriptionStore;
import com.hivemq.extension.sdk.api.services.subscription.SubscriptionType;
import com.hivemq.extension.sdk.api.services.subscription.TopicSubscription;
import io.clink.api.topic.InvalidTopicException;
import io.clink.api.topic.Subscription;
import io.clink.api.topic.TopicName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Delivers a retained message that arrived over a cluster link to the subscribers present now, without touching
 * HiveMQ's retained-message store: EMQX's receiver does not store a forwarded retained message (protocol 4.12), and an
 * empty one must not delete the receiving cluster's own retained message.
 *
 * HiveMQ stores (or, for an empty payload, deletes) on every PublishService.publish with retain=true, and the SDK has
 * no "publish without retaining". So the copies are addressed one by one with PublishService.publishToClient, which
 * never touches the store and delivers with the client's merged matching subscription (highest QoS, retain flag
 * per retain-as-published, subscription identifiers), as HiveMQ's own dispatch does:
 *   - every client with a plain (non-shared) matching subscription gets one copy;
 *   - every shared group (group + filter, HiveMQ's shared-queue key) with a matching filter gets one copy, sent to
 *     one member, a connected one if there is one, rotating across messages. The member's own subscription options
 *     apply, so its retain flag follows its retain-as-published option (HiveMQ's shared queue would always keep it).
 *
 * Concurrency and ordering: plain subscribers are addressed from the iteration callback on a direct executor; HiveMQ
 * CE runs that iteration on the calling thread, so the copies enter the client queues before deliver() returns and
 * keep their order with the link's later messages, which go through PublishService.publish on the same thread. The
 * shared part finishes asynchronously (it needs each member's subscriptions first); a shared group does not order its
 * messages across members anyway. A subscriber that comes or goes during the walk gets or misses the message exactly as
 * with an ordinary publish racing a SUBSCRIBE; publishToClient answers NOT_SUBSCRIBED for one that left.
 *
 * Cost: an ordinary forwarded message costs one PublishService.publish. A retained one costs one topic-tree match
 * for the plain subscribers plus one per subscriber (publishToClient finds the subscription again), and, only when
 * shared subscriptions match, one more match, one subscription lookup per shared member and one publishToClient per
 * group. Every call counts against HiveMQ's extension-service rate limit (unlimited by default).
 */

/** Delivers forwarded retained messages to current subscribers only; see the comment at the top of the file. */
public final class RetainedDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(RetainedDelivery.class);
    private static final String SHARE_PREFIX = "$share/";

    private final PublishService publishService;
    private final SubscriptionStore subscriptionStore;
    private final ClientService clientService;
    private final AtomicLong shareCursor = new AtomicLong();

    /**
     * Creates the delivery over one broker's services.
     *
     * @param publishService addresses the copies
     * @param subscriptionStore finds the subscribers
     * @param clientService tells connected share-group members from offline ones
     */
    public RetainedDelivery(
            PublishService publishService, SubscriptionStore subscriptionStore, ClientService clientService) {
        this.publishService = Objects.requireNonNull(publishService, "publishService");
        this.subscriptionStore = Objects.requireNonNull(subscriptionStore, "subscriptionStore");
        this.clientService = Objects.requireNonNull(clientService, "clientService");
    }

    /**
     * Sends {@code publish} (retain flag set) to the current subscribers of {@code topic}, one copy per client with a
     * plain subscription and one per shared group. Never blocks; failures are logged.
     *
     * @param publish the message, retain flag set
     * @param topic its topic name
     * @param origin the cluster it came from, for the log
     */
    public void deliver(Publish publish, String topic, String origin) {
        subscriptionStore
                .iterateAllSubscribersForTopic(
                        topic,
                        SubscriptionType.INDIVIDUAL,
                        (context, subscriber) -> sendTo(publish, subscriber.getClientId(), origin),
                        Runnable::run)
                .whenComplete((done, error) -> {
                    if (error != null) {
                        LOG.warn(
                                "Could not list the subscribers of '{}' for a retained message from cluster {}: {}",
                                topic,
                                origin,
                                error.toString());
                    }
                });
        Set<String> members = ConcurrentHashMap.newKeySet();
        subscriptionStore
                .iterateAllSubscribersForTopic(
                        topic,
                        SubscriptionType.SHARED,
                        (context, subscriber) -> members.add(subscriber.getClientId()),
                        Runnable::run)
                .thenCompose(done -> members.isEmpty()
                        ? CompletableFuture.completedFuture(Map.<String, List<String>>of())
                        : groups(topic, members))
                .thenCompose(this::pickMembers)
                .whenComplete((chosen, error) -> {
                    if (error != null) {
                        LOG.warn(
                                "Could not reach the shared groups of '{}' with a retained message from cluster {}: "
                                        + "{}",
                                topic,
                                origin,
                                error.toString());
                        return;
                    }
                    chosen.forEach(member -> sendTo(publish, member, origin));
                });
    }

    private void sendTo(Publish publish, String clientId, String origin) {
        publishService.publishToClient(publish, clientId).whenComplete((result, error) -> {
            if (error != null) {
                LOG.warn(
                        "HiveMQ refused to deliver a retained message on '{}' from cluster {} to {}: {}",
                        publish.getTopic(),
                        origin,
                        clientId,
                        error.toString());
            } else if (result != PublishToClientResult.SUCCESSFUL) {
                LOG.debug(
                        "Retained message on '{}' not delivered to {}: it unsubscribed", publish.getTopic(), clientId);
            }
        });
    }

    /** The shared groups whose filter matches {@code topic}, keyed by group and filter, with their members sorted. */
    private CompletableFuture<Map<String, List<String>>> groups(String topic, Set<String> members) {
        TopicName name = TopicName.of(topic);
        Map<String, List<String>> groups = new TreeMap<>();
        List<CompletableFuture<Void>> lookups = new ArrayList<>();
        for (String member : members) {
            lookups.add(subscriptionStore.getSubscriptions(member).thenAccept(subscriptions -> {
                for (TopicSubscription s : subscriptions) {
                    String key = matchingShareKey(s.getTopicFilter(), name);
                    if (key != null) {
                        synchronized (groups) {
                            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(member);
                        }
                    }
                }
            }));
        }
        return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new))
                .thenApply(done -> {
                    synchronized (groups) {
                        groups.values().forEach(list -> list.sort(null));
                        return groups;
                    }
                });
    }

    /** {@code group/filter} for a {@code $share/} subscription matching {@code topic}, otherwise null. */
    private static @Nullable String matchingShareKey(String subscription, TopicName topic) {
        if (!subscription.startsWith(SHARE_PREFIX)) {
            return null;
        }
        Subscription parsed;
        try {
            parsed = Subscription.parse(subscription);
        } catch (InvalidTopicException e) {
            return null;
        }
        if (!parsed.filter().matches(topic)) {
            return null;
        }
        return parsed.group().orElseThrow() + '/' + parsed.filter().value();
    }

    /** One member per group: a connected one if any, rotating across messages. */
    private CompletableFuture<List<String>> pickMembers(Map<String, List<String>> groups) {
        List<CompletableFuture<String>> picks = new ArrayList<>();
        for (List<String> members : groups.values()) {
            List<CompletableFuture<Boolean>> connected = new ArrayList<>();
            for (String m : members) {
                connected.add(clientService.isClientConnected(m).exceptionally(e -> false));
            }
            picks.add(CompletableFuture.allOf(connected.toArray(CompletableFuture[]::new))
                    .thenApply(done -> {
                        List<String> online = new ArrayList<>();
                        for (int i = 0; i < members.size(); i++) {
                            if (connected.get(i).join()) {
                                online.add(members.get(i));
                            }
                        }
                        List<String> candidates = online.isEmpty() ? members : online;
                        return candidates.get(
                                (int) Math.floorMod(shareCursor.getAndIncrement(), (long) candidates.size()));
                    }));
        }
        return CompletableFuture.allOf(picks.toArray(CompletableFuture[]::new))
                .thenApply(done -> picks.stream().map(CompletableFuture::join).toList());
    }
}
