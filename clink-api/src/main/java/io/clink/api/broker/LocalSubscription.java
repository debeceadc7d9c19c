package io.clink.api.broker;

import io.clink.api.topic.InvalidTopicException;
import io.clink.api.topic.Subscription;
import java.util.Objects;

/**
 * One subscription of one client on this broker, as reported by {@link LocalBroker#forEachSubscription}.
 *
 * @param clientId the subscriber's client id, not empty
 * @param subscription the subscription exactly as the client sent it: a topic filter, {@code
 *     $share/<group>/<filter>} or {@code $queue/<filter>}. clink parses it and skips (and logs) what does not parse,
 *     so one odd entry never fails a whole snapshot.
 * @since 0.1.0
 */
public record LocalSubscription(String clientId, String subscription) {

    /**
     * Validates the fields.
     *
     * @throws NullPointerException if either field is null
     * @throws IllegalArgumentException if either field is empty
     */
    public LocalSubscription {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(subscription, "subscription");
        if (clientId.isEmpty()) {
            throw new IllegalArgumentException("clientId must not be empty (subscription '" + subscription + "')");
        }
        if (subscription.isEmpty()) {
            throw new IllegalArgumentException("subscription must not be empty (client '" + clientId + "')");
        }
    }

    /**
     * Parses {@link #subscription()}: its topic filter, share group if any, and route id.
     *
     * @return the parsed subscription
     * @throws InvalidTopicException if the string is not a valid subscription; the message names it and the rule
     * @since 0.1.0
     */
    public Subscription parse() {
        return Subscription.parse(subscription);
    }
}
