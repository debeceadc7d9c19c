package io.clink.core;

import io.clink.api.link.ActorState;
import io.clink.api.link.ActorStatus;
import io.clink.api.link.ForwardingStatus;
import io.clink.api.link.LinkMetrics;
import io.clink.api.link.LinkStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * The meters clink exports for each link, described without any metrics library's types so that every host can
 * register them in its own registry: clink-broker in Micrometer (and so Prometheus), the HiveMQ extension in
 * HiveMQ's Dropwizard registry. A host reads one {@link Sample} per link and scrape and evaluates each meter's
 * {@link Meter#value} on it.
 *
 * <p>Names are dotted, Micrometer's convention: Micrometer's Prometheus naming turns {@code clink.forwarding.success}
 * (a counter) into {@code clink_forwarding_success_total}. EMQX's Prometheus output has no cluster-link metrics to
 * match, so the names follow EMQX's link metrics JSON where one exists ({@code forwarding.matched}, ...) under a
 * {@code clink.} prefix.
 *
 * <p>Every meter carries the tags {@link #TAG_CLUSTER} (this cluster's name), {@link #TAG_NODE} (this node) and
 * {@link #TAG_LINK} (the link's name, the remote cluster), plus the {@link Meter#tags} of its own.
 *
 * @since 0.1.0
 */
public final class LinkMeters {

    /** Tag: this cluster's name ({@code cluster.name}). */
    public static final String TAG_CLUSTER = "cluster";

    /** Tag: this node's name. */
    public static final String TAG_NODE = "node";

    /** Tag: the link's name (the remote cluster's name). */
    public static final String TAG_LINK = "link";

    /** Tag of {@code clink.route.actor.state}: an {@link ActorState} in lower case. */
    public static final String TAG_STATE = "state";

    /** How a meter's value behaves. */
    public enum Type {
        /** Only grows, except when the link's metrics are reset. */
        COUNTER,
        /** A current value. */
        GAUGE
    }

    /**
     * What one link looks like at one scrape.
     *
     * @param status the link's status
     * @param metrics the link's counters and gauges
     * @param rate the link's {@code matched} rate
     * @since 0.1.0
     */
    public record Sample(LinkStatus status, LinkMetrics metrics, LinkRate rate) {

        /** Checks for nulls. */
        public Sample {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(metrics, "metrics");
            Objects.requireNonNull(rate, "rate");
        }
    }

    /**
     * One meter of one link.
     *
     * @param name the dotted name, for example {@code clink.forwarding.success}
     * @param type counter or gauge
     * @param baseUnit the unit ({@code bytes}, {@code messages}...), or null when the value is a plain count or state
     * @param description one line for the registry's help text
     * @param tags tags of its own, beyond cluster, node and link
     * @param value reads it from a sample; pure, never throws on a valid sample
     * @since 0.1.0
     */
    public record Meter(
            String name,
            Type type,
            @Nullable String baseUnit,
            String description,
            Map<String, String> tags,
            ToDoubleFunction<Sample> value) {

        /** Checks for nulls and copies the tags. */
        public Meter {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(description, "description");
            tags = Map.copyOf(tags);
            Objects.requireNonNull(value, "value");
        }
    }

    private static final List<Meter> METERS = build();

    private LinkMeters() {}

    /**
     * Every meter of one link, in a fixed order; the same list on every call.
     *
     * <p>Thread: any. Non-blocking.
     *
     * @return the meters
     * @since 0.1.0
     */
    public static List<Meter> all() {
        return METERS;
    }

    private static List<Meter> build() {
        List<Meter> m = new ArrayList<>();
        m.add(counter(
                "clink.routes.sent",
                "Route operations (adds and deletes) this node's actors replicated to the remote cluster",
                s -> s.metrics().routesSent()));
        m.add(counter(
                "clink.routes.received",
                "Route operations received from the remote cluster's actors and applied",
                s -> s.metrics().routesReceived()));
        m.add(counter(
                "clink.routes.skipped",
                "Route operations received from the remote cluster and skipped as malformed",
                s -> s.metrics().routesSkipped()));
        m.add(gauge(
                "clink.routes",
                null,
                "Routes the remote cluster has replicated into this cluster (EMQX router.routes)",
                s -> s.metrics().remoteRoutes()));
        m.add(counter(
                "clink.forwarding.matched",
                "Local messages matched for forwarding to the remote cluster (EMQX forwarding.matched)",
                s -> s.metrics().matched()));
        m.add(counter(
                "clink.forwarding.success",
                "Messages forwarded and acknowledged by the remote cluster (EMQX forwarding.success)",
                s -> s.metrics().forwarded()));
        m.add(counter(
                "clink.forwarding.failed",
                "Forwards the remote refused or that could not be sent (EMQX forwarding.failed)",
                s -> s.metrics().failed()));
        m.add(counter(
                "clink.forwarding.dropped",
                "Messages dropped from a full forwarding buffer or expired in it (EMQX forwarding.dropped)",
                s -> s.metrics().dropped()));
        m.add(counter(
                "clink.forwarding.retried",
                "Forward attempts repeated after a failure or reconnect (EMQX forwarding.retried)",
                s -> s.metrics().retried()));
        m.add(gauge(
                "clink.forwarding.queuing",
                null,
                "Messages waiting in the forwarding buffer, in flight included (EMQX forwarding.queuing)",
                s -> s.metrics().bufferedMessages()));
        m.add(gauge(
                "clink.forwarding.inflight",
                null,
                "Forwarded messages sent and awaiting their PUBACK, part of queuing (EMQX forwarding.inflight)",
                s -> s.metrics().inflightMessages()));
        m.add(gauge(
                "clink.forwarding.queuing.size",
                "bytes",
                "Payload bytes waiting in the forwarding buffer",
                s -> s.metrics().bufferedBytes()));
        m.add(gauge(
                "clink.forwarding.rate",
                null,
                "Matched messages per second over the last 10 s sample (EMQX rate)",
                s -> s.rate().current()));
        m.add(gauge(
                "clink.forwarding.rate.last5m",
                null,
                "Mean matched messages per second over the last five minutes (EMQX rate_last5m)",
                s -> s.rate().last5m()));
        m.add(gauge(
                "clink.forwarding.rate.max",
                null,
                "Highest matched messages per second of one sample (EMQX rate_max)",
                s -> s.rate().max()));
        m.add(gauge(
                "clink.forwarding.connected",
                null,
                "1 while the forwarding connection to the remote cluster is up, else 0",
                s -> s.status().forwarding() == ForwardingStatus.CONNECTED ? 1 : 0));
        m.add(counter(
                "clink.messages.received",
                "Messages received from the remote cluster and delivered locally",
                s -> s.metrics().received()));
        m.add(counter(
                "clink.messages.filtered",
                "Messages received from the remote cluster and not delivered: outside the link's topics",
                s -> s.metrics().filtered()));
        m.add(counter(
                "clink.messages.rejected",
                "Messages received from the remote cluster and refused with an error reason code",
                s -> s.metrics().rejected()));
        m.add(counter(
                "clink.messages.fields.dropped",
                "Metadata fields of received messages that could not be carried to local subscribers",
                s -> s.metrics().fieldsDropped()));
        m.add(counter(
                "clink.protocol.errors",
                "Protocol errors of the remote cluster's connections to this node",
                s -> s.metrics().protocolErrors()));
        m.add(counter(
                "clink.broker.errors",
                "Calls into the local broker for the link that threw",
                s -> s.metrics().brokerErrors()));
        m.add(counter(
                "clink.reconnects",
                "Reconnect attempts of this node's link connections (route actor and forwarding pool)",
                s -> s.metrics().reconnects()));
        m.add(gauge(
                "clink.link.enabled",
                null,
                "1 if the link is enabled, else 0",
                s -> s.status().enabled() ? 1 : 0));
        for (ActorState state : ActorState.values()) {
            m.add(new Meter(
                    "clink.route.actor.state",
                    Type.GAUGE,
                    null,
                    "This node's route actors of the link in each state",
                    Map.of(TAG_STATE, state.name().toLowerCase(Locale.ROOT)),
                    s -> countActors(s.status(), state)));
        }
        return List.copyOf(m);
    }

    private static long countActors(LinkStatus status, ActorState state) {
        long n = 0;
        for (ActorStatus a : status.actors()) {
            if (a.state() == state) {
                n++;
            }
        }
        return n;
    }

    private static Meter counter(String name, String description, ToDoubleFunction<Sample> value) {
        return new Meter(name, Type.COUNTER, null, description, Map.of(), value);
    }

    private static Meter gauge(String name, @Nullable String unit, String description, ToDoubleFunction<Sample> value) {
        return new Meter(name, Type.GAUGE, unit, description, Map.of(), value);
    }
}
