package io.clink.core.config;

import io.clink.api.transport.TlsSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads a link's {@code ssl} block, in EMQX's shape ({@code enable, cacertfile, certfile, keyfile, verify =
 * verify_peer | verify_none, server_name_indication, versions}), into {@link TlsSettings}. EMQX options the JVM
 * covers by itself are accepted and logged as ignored; the ones clink cannot honour (such as {@code ciphers} or an
 * encrypted key's {@code password}) are refused, saying why. Stateless.
 */
final class SslSectionReader {

    private static final Set<String> SSL_KEYS =
            Set.of("enable", "cacertfile", "certfile", "keyfile", "verify", "server_name_indication", "versions");

    private static final Map<String, String> SSL_IGNORED = Map.of(
            "depth", "the JVM's certificate path validation sets the chain depth",
            "reuse_sessions", "the JVM reuses TLS sessions by itself",
            "secure_renegotiate", "TLS 1.3 has no renegotiation and the JVM refuses insecure renegotiation",
            "hibernate_after", "an Erlang process option",
            "log_level", "TLS logging follows the JVM's javax.net.debug",
            "middlebox_comp_mode", "an Erlang TLS 1.3 option");

    private static final Map<String, String> SSL_UNSUPPORTED = Map.of(
            "ciphers", "the JVM's default cipher suites are used",
            "password", "encrypted private keys are not supported; give an unencrypted PEM key file",
            "partial_chain", "the chain must reach a certificate in cacertfile",
            "verify_peer_ext_key_usage", "extended key usage is checked by the JVM's defaults");

    private SslSectionReader() {}

    /**
     * @return the TLS settings, or null when the block disables TLS
     * @throws ConfigLoadException naming the key and value that are not acceptable
     */
    static @Nullable TlsSettings read(ConfigSection ssl) {
        ssl.checkKeys(SSL_KEYS, SSL_IGNORED, SSL_UNSUPPORTED);
        // EMQX's default ssl block is {enable = false}; a block without enable means TLS is wanted.
        if (!ssl.bool("enable").orElse(true)) {
            return null;
        }
        TlsSettings.Builder b = TlsSettings.builder();
        ssl.file("cacertfile").ifPresent(b::caFile);
        ssl.file("certfile").ifPresent(b::certFile);
        ssl.file("keyfile").ifPresent(b::keyFile);
        ssl.string("verify").ifPresent(v -> {
            switch (v) {
                case "verify_peer":
                    b.verifyPeer(true);
                    break;
                case "verify_none":
                    b.verifyPeer(false);
                    break;
                default:
                    throw ssl.error("verify", "must be verify_peer or verify_none");
            }
        });
        ssl.string("server_name_indication").ifPresent(v -> {
            if (v.equals("disable")) {
                throw ssl.error(
                        "server_name_indication",
                        "'disable' is not supported by clink: SNI is always sent (leave it out to use the server's host)");
            }
            try {
                b.serverName(v);
            } catch (IllegalArgumentException e) {
                throw ssl.error("server_name_indication", "must be a host name");
            }
        });
        ssl.strings("versions").ifPresent(vs -> {
            List<String> mapped = new ArrayList<>();
            for (String v : vs) {
                String canonical = TlsSettings.SUPPORTED_PROTOCOLS.stream()
                        .filter(p -> p.equalsIgnoreCase(v))
                        .findFirst()
                        .orElseThrow(() -> ssl.error(
                                "versions", "unsupported TLS version '" + v + "' (allowed: tlsv1.3, tlsv1.2)"));
                mapped.add(canonical);
            }
            try {
                b.protocols(mapped);
            } catch (IllegalArgumentException e) {
                throw ssl.error("versions", String.valueOf(e.getMessage()));
            }
        });
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            String msg = Objects.requireNonNullElse(e.getMessage(), "invalid");
            // TlsSettings names "ssl.<key>" at the start of its messages.
            String key = msg.startsWith("ssl.") ? msg.substring(4).split("[ :]", 2)[0] : "";
            String detail = msg.startsWith("ssl." + key)
                    ? msg.substring(4 + key.length()).replaceFirst("^:? *", "")
                    : msg;
            return rethrowSsl(ssl, key, detail);
        }
    }

    private static TlsSettings rethrowSsl(ConfigSection ssl, String key, String detail) {
        if (SSL_KEYS.contains(key)) {
            throw ssl.error(key, detail);
        }
        throw ssl.error(detail);
    }
}
