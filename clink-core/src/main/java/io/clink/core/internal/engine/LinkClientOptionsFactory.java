package io.clink.core.internal.engine;

import io.clink.api.config.ClusterLinkConfig;
import io.clink.api.config.LinkConfig;
import io.clink.api.config.ServerAddress;
import io.clink.api.transport.LinkClientOptions;
import io.clink.api.transport.LinkTransport;
import java.nio.charset.StandardCharsets;

/** How a link's configuration becomes the options of one of its outbound connections (actor or forwarding). */
public final class LinkClientOptionsFactory {

    private LinkClientOptionsFactory() {}

    /**
     * Options for a connection of {@code link} with the given client id: the link's server, TLS, credentials,
     * keepalive, socket options and in-flight window, clean start as EMQX 5.9+ link clients use.
     */
    public static LinkClientOptions options(LinkConfig link, String clientId) {
        return options(link, clientId, link.server());
    }

    /**
     * Options for a connection of {@code link} to one endpoint of its {@code server} list. The TLS settings are the
     * link's; the transport verifies the peer's name against (and sends SNI for) this endpoint's host. The in-flight
     * window is {@code max_inflight}: right for the route actor's connection; forwarding connections use {@link
     * #forwardingOptions}.
     */
    public static LinkClientOptions options(LinkConfig link, String clientId, ServerAddress endpoint) {
        return builder(link, clientId, endpoint).build();
    }

    /**
     * Options for a message-forwarding connection of {@code link}: as {@link #options(LinkConfig, String,
     * ServerAddress)}, with the window {@link #forwardingWindow}.
     */
    public static LinkClientOptions forwardingOptions(LinkConfig link, String clientId, ServerAddress endpoint) {
        return builder(link, clientId, endpoint)
                .maxInflight(forwardingWindow(link))
                .build();
    }

    /**
     * The in-flight window of a forwarding connection. In EMQX both {@code max_inflight} (the MQTT client's window)
     * and {@code resource_opts.inflight_window} (the window of the buffer worker feeding it) bound the unacknowledged
     * forwarded messages; clink's buffer worker is the connection itself, so the smaller of the two applies.
     */
    public static int forwardingWindow(LinkConfig link) {
        return Math.min(link.maxInflight(), link.resourceOptions().inflightWindow());
    }

    private static LinkClientOptions.Builder builder(LinkConfig link, String clientId, ServerAddress endpoint) {
        LinkClientOptions.Builder b = LinkClientOptions.builder()
                .host(endpoint.host())
                .port(endpoint.port())
                .tls(link.effectiveTls().orElse(null))
                .clientId(clientId)
                .cleanStart(true)
                .keepAlive(link.keepalive())
                .maxInflight(link.maxInflight())
                .tcpOptions(link.tcpOptions())
                .username(link.username().orElse(null));
        link.password().ifPresent(p -> b.password(p.getBytes(StandardCharsets.UTF_8)));
        return b;
    }

    /**
     * Checks every link's connection settings with the transport (TLS files readable and matching, and so on), so
     * that mistakes surface when a configuration is applied, not at the first reconnect. Thread: any. Blocking: reads
     * the TLS files.
     *
     * @throws IllegalArgumentException naming the link and the transport's complaint, at the first link refused
     */
    public static void validateAll(LinkTransport transport, ClusterLinkConfig config) {
        for (LinkConfig link : config.links()) {
            try {
                transport.validate(options(link, config.clientIdOf(link)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("link " + link.name() + ": " + e.getMessage(), e);
            }
        }
    }
}
