package io.clink.core.config;

import static io.clink.core.config.BuilderCalls.apply;
import static io.clink.core.config.BuilderCalls.detailOf;
import static io.clink.core.config.BuilderCalls.set;

import io.clink.api.config.DispatchStrategy;
import io.clink.api.config.InvalidConfigException;
import io.clink.api.config.LinkConfig;
import io.clink.api.config.ReconnectBackoff;
import io.clink.api.config.ResourceOptions;
import io.clink.api.config.TcpOptions;
import io.clink.api.transport.TlsSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one element of {@code cluster.links} into a {@link LinkConfig}: its own keys and its nested {@code ssl}
 * (through {@link SslSectionReader}), {@code tcp_opts}, {@code resource_opts}, {@code reconnect} and {@code
 * forwarding_buffer} blocks. Unknown keys are refused, naming the key; EMQX options without a clink equivalent are
 * accepted and logged as ignored. Stateless.
 */
final class LinkSectionReader {

    private static final String SSL = "ssl";
    private static final String TCP_OPTS = "tcp_opts";
    private static final String RESOURCE_OPTS = "resource_opts";
    private static final String RECONNECT = "reconnect";
    private static final String FORWARDING_BUFFER = "forwarding_buffer";

    private static final Set<String> LINK_KEYS = Set.of(
            LinkConfig.ENABLE.name(),
            LinkConfig.NAME.name(),
            LinkConfig.SERVER.name(),
            LinkConfig.CLIENT_ID.name(),
            LinkConfig.USERNAME.name(),
            LinkConfig.PASSWORD.name(),
            SSL,
            LinkConfig.TOPICS.name(),
            LinkConfig.POOL_SIZE.name(),
            LinkConfig.MAX_INFLIGHT.name(),
            TCP_OPTS,
            RESOURCE_OPTS,
            LinkConfig.KEEPALIVE.name(),
            LinkConfig.ACTOR_NAME.name(),
            RECONNECT,
            FORWARDING_BUFFER);

    private static final Map<String, String> LINK_IGNORED = Map.of(
            "ps_actor_incarnation",
            "EMQX manages it internally; clink keeps incarnations in its own store",
            "retry_interval",
            "MQTT 5 allows resending an unacknowledged publish only after a reconnect (section 4.4), which clink "
                    + "always does; there is no in-session retransmission to time");

    private static final String RESOURCE_NOTE = "an EMQX resource option without a clink equivalent";

    private static final Set<String> TCP_KEYS = Set.of(
            TcpOptions.NODELAY.name(), TcpOptions.SNDBUF.name(), TcpOptions.RECBUF.name(), TcpOptions.KEEPALIVE.name());

    private static final Map<String, String> TCP_IGNORED = Map.of(
            "active_n", "Erlang port-driver batching; JVM sockets have no equivalent",
            "buffer", "the Erlang port driver's user-space buffer; JVM sockets have no equivalent",
            "delay_send", "Erlang port-driver send queueing; JVM sockets have no equivalent");

    private static final Set<String> RESOURCE_KEYS = Set.of(
            ResourceOptions.DISPATCH_STRATEGY.name(),
            ResourceOptions.REQUEST_TTL.name(),
            "request_timeout",
            ResourceOptions.INFLIGHT_WINDOW.name(),
            ResourceOptions.MAX_BUFFER_BYTES.name());

    private static final Map<String, String> RESOURCE_IGNORED = Map.ofEntries(
            Map.entry(
                    "worker_pool_size",
                    "clink keeps one queue per forwarding connection, so pool_size sets the number of workers"),
            Map.entry(
                    "health_check_interval",
                    "the link's status follows every connection event as it happens; nothing is polled"),
            Map.entry(
                    "start_timeout",
                    "starting a link never waits for its connections; the status shows connecting until they are "
                            + "up"),
            Map.entry("health_check_interval_jitter", RESOURCE_NOTE),
            Map.entry("health_check_timeout", RESOURCE_NOTE),
            Map.entry("buffer_mode", RESOURCE_NOTE),
            Map.entry("buffer_seg_bytes", RESOURCE_NOTE),
            Map.entry("resume_interval", RESOURCE_NOTE),
            Map.entry("metrics_flush_interval", RESOURCE_NOTE),
            Map.entry("auto_restart_interval", RESOURCE_NOTE),
            Map.entry("enable_queue", RESOURCE_NOTE));

    private static final Set<String> RECONNECT_KEYS = Set.of(
            ReconnectBackoff.INITIAL_DELAY.name(), ReconnectBackoff.MAX_DELAY.name(), ReconnectBackoff.JITTER.name());

    private static final Set<String> BUFFER_KEYS = Set.of("max_messages", "max_bytes");

    private LinkSectionReader() {}

    /** @throws ConfigLoadException naming the file, line, path and value of the first bad value */
    static LinkConfig read(ConfigSection link) {
        link.checkKeys(LINK_KEYS, LINK_IGNORED, Map.of());
        LinkConfig.Builder b = LinkConfig.builder();
        // Each setter validates at once; its InvalidConfigException names the option relative to the link.
        set(link, LinkConfig.ENABLE.name(), link.bool(LinkConfig.ENABLE.name()), b::enable);
        set(link, LinkConfig.NAME.name(), link.string(LinkConfig.NAME.name()), b::name);
        set(link, LinkConfig.SERVER.name(), link.string(LinkConfig.SERVER.name()), v -> b.server(v));
        set(link, LinkConfig.CLIENT_ID.name(), link.string(LinkConfig.CLIENT_ID.name()), b::clientId);
        set(link, LinkConfig.USERNAME.name(), link.string(LinkConfig.USERNAME.name()), b::username);
        set(link, LinkConfig.PASSWORD.name(), link.secret(LinkConfig.PASSWORD.name()), b::password);
        set(link, LinkConfig.TOPICS.name(), link.strings(LinkConfig.TOPICS.name()), b::topics);
        set(link, LinkConfig.POOL_SIZE.name(), link.int32(LinkConfig.POOL_SIZE.name()), b::poolSize);
        set(link, LinkConfig.MAX_INFLIGHT.name(), link.int32(LinkConfig.MAX_INFLIGHT.name()), b::maxInflight);
        set(link, LinkConfig.KEEPALIVE.name(), link.duration(LinkConfig.KEEPALIVE.name()), b::keepalive);
        set(link, LinkConfig.ACTOR_NAME.name(), link.string(LinkConfig.ACTOR_NAME.name()), b::actorName);
        link.section(SSL).ifPresent(s -> {
            TlsSettings tls = SslSectionReader.read(s);
            if (tls != null) {
                b.ssl(tls);
            }
        });
        link.section(TCP_OPTS).ifPresent(s -> apply(link, TCP_OPTS, () -> b.tcpOptions(readTcp(s))));
        link.section(RESOURCE_OPTS)
                .ifPresent(s -> apply(link, RESOURCE_OPTS, () -> b.resourceOptions(readResource(s))));
        link.section(RECONNECT).ifPresent(s -> apply(link, RECONNECT, () -> b.reconnect(readReconnect(s))));
        link.section(FORWARDING_BUFFER).ifPresent(s -> {
            s.checkKeys(BUFFER_KEYS, Map.of(), Map.of());
            set(
                    link,
                    LinkConfig.FORWARDING_BUFFER_MAX_MESSAGES.name(),
                    s.int32("max_messages"),
                    b::forwardingBufferMaxMessages);
            set(link, LinkConfig.FORWARDING_BUFFER_MAX_BYTES.name(), s.bytes("max_bytes"), b::forwardingBufferMaxBytes);
        });
        try {
            return b.build();
        } catch (InvalidConfigException e) {
            throw link.errorAt(e.option(), detailOf(e), e);
        }
    }

    private static TcpOptions readTcp(ConfigSection tcp) {
        tcp.checkKeys(TCP_KEYS, TCP_IGNORED, Map.of());
        TcpOptions.Builder b = TcpOptions.builder();
        tcp.bool(TcpOptions.NODELAY.name()).ifPresent(b::nodelay);
        tcp.bytes(TcpOptions.SNDBUF.name()).ifPresent(v -> b.sndbuf(intBytes(tcp, TcpOptions.SNDBUF.name(), v)));
        tcp.bytes(TcpOptions.RECBUF.name()).ifPresent(v -> b.recbuf(intBytes(tcp, TcpOptions.RECBUF.name(), v)));
        tcp.string(TcpOptions.KEEPALIVE.name()).ifPresent(b::keepalive);
        return b.build();
    }

    private static int intBytes(ConfigSection s, String key, long v) {
        if (v > Integer.MAX_VALUE) {
            throw s.error(key, "must be at most " + Integer.MAX_VALUE + " bytes");
        }
        return (int) v;
    }

    private static ResourceOptions readResource(ConfigSection r) {
        r.checkKeys(RESOURCE_KEYS, RESOURCE_IGNORED, Map.of());
        ResourceOptions.Builder b = ResourceOptions.builder();
        r.string(ResourceOptions.DISPATCH_STRATEGY.name())
                .ifPresent(v -> b.dispatchStrategy(DispatchStrategy.parse(v)));
        Optional<Duration> ttl = r.duration(ResourceOptions.REQUEST_TTL.name());
        Optional<Duration> timeout = r.duration("request_timeout");
        if (ttl.isPresent() && timeout.isPresent()) {
            throw r.error("request_timeout", "is an alias of request_ttl; give only one of them");
        }
        ttl.or(() -> timeout).ifPresent(b::requestTtl);
        r.int32(ResourceOptions.INFLIGHT_WINDOW.name()).ifPresent(b::inflightWindow);
        r.bytes(ResourceOptions.MAX_BUFFER_BYTES.name()).ifPresent(b::maxBufferBytes);
        return b.build();
    }

    private static ReconnectBackoff readReconnect(ConfigSection r) {
        r.checkKeys(RECONNECT_KEYS, Map.of(), Map.of());
        ReconnectBackoff d = ReconnectBackoff.DEFAULT;
        return new ReconnectBackoff(
                r.duration(ReconnectBackoff.INITIAL_DELAY.name()).orElse(d.initialDelay()),
                r.duration(ReconnectBackoff.MAX_DELAY.name()).orElse(d.maxDelay()),
                r.number(ReconnectBackoff.JITTER.name()).orElse(d.jitter()));
    }
}
