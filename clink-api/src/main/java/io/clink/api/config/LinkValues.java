package io.clink.api.config;

import io.clink.api.transport.TlsSettings;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The values of one {@link LinkConfig} as set, already checked by its builder. A record so that equality covers
 * every value (a configuration reload tells changed links by it) without a hand-kept list of fields; its printed
 * form never shows the password.
 *
 * @param forwardingBufferMaxBytes 0 to follow {@code resource_opts.max_buffer_bytes}; kept raw so that a {@link
 *     LinkConfig#toBuilder()} copy keeps following it
 */
record LinkValues(
        boolean enable,
        String name,
        ServerList server,
        @Nullable String clientId,
        @Nullable String username,
        @Nullable String password,
        @Nullable TlsSettings ssl,
        List<String> topics,
        int poolSize,
        int maxInflight,
        TcpOptions tcpOptions,
        ResourceOptions resourceOptions,
        Duration keepalive,
        @Nullable String actorName,
        ReconnectBackoff reconnect,
        int forwardingBufferMaxMessages,
        long forwardingBufferMaxBytes) {

    private static final String REDACTED = "******";

    long effectiveForwardingBufferMaxBytes() {
        return forwardingBufferMaxBytes > 0 ? forwardingBufferMaxBytes : resourceOptions.maxBufferBytes();
    }

    /** All options except the password, which shows as {@code ******} when set. */
    @Override
    public String toString() {
        return "LinkConfig{name=" + name + ", enable=" + enable + ", server=" + server + ", clientid=" + clientId
                + ", username=" + username + ", password=" + (password == null ? null : REDACTED) + ", ssl=" + ssl
                + ", topics=" + topics + ", pool_size=" + poolSize
                + ", max_inflight=" + maxInflight + ", tcp_opts=" + tcpOptions + ", resource_opts=" + resourceOptions
                + ", keepalive=" + Checks.human(keepalive) + ", actor_name=" + actorName + ", reconnect=" + reconnect
                + ", forwarding_buffer.max_messages=" + forwardingBufferMaxMessages + ", forwarding_buffer.max_bytes="
                + effectiveForwardingBufferMaxBytes() + '}';
    }
}
