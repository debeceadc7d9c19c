/**
 * MQTT topic names, topic filters and subscriptions as validated value types, and the topic algebra (match,
 * intersection, subset, union) that decides which local routes a cluster link replicates.
 *
 * <p>The value types ({@link io.clink.api.topic.TopicName}, {@link io.clink.api.topic.TopicFilter},
 * {@link io.clink.api.topic.Subscription}) check the rules of MQTT 5.0 section 4.7 (and 4.8.2 for shared
 * subscriptions) when created and throw {@link io.clink.api.topic.InvalidTopicException} naming the input and the
 * rule it breaks. {@link io.clink.api.topic.TopicAlgebra} works on plain strings that are already valid, so that hot
 * paths do not allocate value objects.
 *
 * <p>Everything in this package is non-null unless annotated {@code @Nullable}.
 *
 * @since 0.1.0
 */
@NullMarked
package io.clink.api.topic;

import org.jspecify.annotations.NullMarked;
