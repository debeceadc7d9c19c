package io.clink.broker;

import io.clink.api.transport.TlsSettings;
import io.clink.core.config.ConfigLoadException;
import io.clink.core.config.ConfigSection;
import io.clink.hivemq.LinkAuthenticator;
import io.clink.paho.PemFiles;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The TLS link listener, {@code listeners.ssl.clink}, with EMQX's field names and meanings:
 *
 * <pre>
 * listeners.ssl.clink {
 *   bind = "0.0.0.0:11883"
 *   ssl_options {
 *     certfile   = "certs/us-east.pem"      # this broker's certificate (chain), PEM
 *     keyfile    = "certs/us-east-key.pem"  # its private key, PEM (PKCS#8, PKCS#1 RSA or SEC1 EC), unencrypted
 *     cacertfile = "certs/ca.pem"           # the CAs whose client certificates are accepted, PEM
 *     verify = verify_peer                  # ask for and check client certificates (default verify_none)
 *     fail_if_no_peer_cert = true           # refuse clients without one (default false)
 *   }
 *   authentication = [ ... ]                # as on tcp.clink, optional
 * }
 * </pre>
 *
 * <p>{@code verify = verify_peer} with {@code fail_if_no_peer_cert = true} is mutual TLS: only clients holding a
 * certificate issued by a CA in {@code cacertfile} complete the handshake. {@code verify_peer} alone checks a
 * certificate when the client sends one; {@code verify_none} asks for none. Immutable; the files are read when the
 * configuration is loaded (to report errors early) and again when the broker starts.
 *
 * @param bind where it listens
 * @param certfile the PEM file with the listener's certificate, then any intermediate certificates
 * @param keyfile the PEM file with the certificate's private key
 * @param cacertfile the PEM file with the trusted CA certificates; required with {@code verify_peer}
 * @param verifyPeer whether client certificates are requested and checked ({@code verify = verify_peer})
 * @param failIfNoPeerCert whether a client without a certificate is refused; only with {@code verifyPeer}
 * @param versions the TLS versions offered ({@code TLSv1.3}, {@code TLSv1.2}); empty for HiveMQ's default
 * @param users the users allowed on this listener; empty when anonymous link connections are accepted
 * @since 0.1.0
 */
public record LinkTlsListener(
        BrokerConfig.Bind bind,
        Path certfile,
        Path keyfile,
        @Nullable Path cacertfile,
        boolean verifyPeer,
        boolean failIfNoPeerCert,
        List<String> versions,
        List<LinkAuthenticator.LinkUser> users) {

    /** The configuration path of this listener. */
    static final String PATH = "listeners.ssl.clink";

    private static final Set<String> OPTION_KEYS =
            Set.of("certfile", "keyfile", "cacertfile", "verify", "fail_if_no_peer_cert", "versions");
    private static final Map<String, String> OPTIONS_IGNORED = Map.of(
            "depth", "the JVM's certificate path validation sets the chain depth",
            "reuse_sessions", "the JVM reuses TLS sessions by itself",
            "secure_renegotiate", "TLS 1.3 has no renegotiation and the JVM refuses insecure renegotiation",
            "honor_cipher_order", "the JVM's cipher order applies",
            "client_renegotiation", "the JVM refuses client-initiated renegotiation",
            "handshake_timeout", "HiveMQ's handshake timeout (10 s) applies",
            "hibernate_after", "an Erlang process option",
            "log_level", "TLS logging follows the JVM's javax.net.debug",
            "gc_after_handshake", "an Erlang process option");
    private static final Map<String, String> OPTIONS_UNSUPPORTED = Map.of(
            "password", "encrypted private keys are not supported; give an unencrypted PEM key file",
            "ciphers", "the JVM's default cipher suites are used",
            "partial_chain", "the chain must reach a certificate in cacertfile",
            "verify_peer_ext_key_usage", "extended key usage is checked by the JVM's defaults",
            "enable_crl_check", "CRL checks are not offered",
            "ocsp", "OCSP stapling is not offered",
            "dhfile", "the JVM's Diffie-Hellman groups are used");

    /**
     * How the broker treats client certificates on this listener.
     *
     * @since 0.1.0
     */
    public enum ClientAuthentication {
        /** Not requested ({@code verify_none}). */
        NONE,
        /** Requested and checked when sent ({@code verify_peer}). */
        OPTIONAL,
        /** Required and checked ({@code verify_peer} with {@code fail_if_no_peer_cert = true}). */
        REQUIRED
    }

    /**
     * Validates the fields (not the files: see {@link #load()}).
     *
     * @throws IllegalArgumentException if {@code verifyPeer} lacks a CA file, {@code failIfNoPeerCert} is set without
     *     {@code verifyPeer}, or a version is not {@code TLSv1.3} or {@code TLSv1.2}
     */
    public LinkTlsListener {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(certfile, "certfile");
        Objects.requireNonNull(keyfile, "keyfile");
        versions = List.copyOf(versions);
        users = List.copyOf(users);
        if (verifyPeer && cacertfile == null) {
            throw new IllegalArgumentException("cacertfile is required with verify = verify_peer");
        }
        if (failIfNoPeerCert && !verifyPeer) {
            throw new IllegalArgumentException("fail_if_no_peer_cert = true needs verify = verify_peer");
        }
        for (String v : versions) {
            if (!TlsSettings.SUPPORTED_PROTOCOLS.contains(v)) {
                throw new IllegalArgumentException(
                        "unsupported TLS version '" + v + "' (allowed: " + TlsSettings.SUPPORTED_PROTOCOLS + ")");
            }
        }
    }

    /**
     * How client certificates are treated.
     *
     * @return {@code REQUIRED} for mutual TLS, {@code OPTIONAL} for {@code verify_peer} alone, else {@code NONE}
     * @since 0.1.0
     */
    public ClientAuthentication clientAuthentication() {
        if (!verifyPeer) {
            return ClientAuthentication.NONE;
        }
        return failIfNoPeerCert ? ClientAuthentication.REQUIRED : ClientAuthentication.OPTIONAL;
    }

    /**
     * The listener's key material, read from the files.
     *
     * @param key the private key
     * @param chain the certificate chain, the listener's own certificate first
     * @param trusted the trusted CA certificates; empty with {@code verify_none}
     * @since 0.1.0
     */
    public record Material(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> trusted) {

        /** Copies the lists. */
        public Material {
            Objects.requireNonNull(key, "key");
            chain = List.copyOf(chain);
            trusted = List.copyOf(trusted);
        }

        /** Never shows the key. */
        @Override
        public String toString() {
            return "Material{chain=" + chain.size() + " certificate(s), trusted=" + trusted.size() + "}";
        }
    }

    /**
     * Reads the PEM files and checks that the key belongs to the certificate.
     *
     * @return the key material
     * @throws IllegalArgumentException naming the option ({@code listeners.ssl.clink.ssl_options.<field>}), the file
     *     and the problem: unreadable, no PEM, no certificate or key, an encrypted key, or a key that does not match
     * @since 0.1.0
     */
    public Material load() {
        String options = PATH + ".ssl_options.";
        List<X509Certificate> chain = PemFiles.readCertificates(options + "certfile", certfile);
        PrivateKey key = PemFiles.readPrivateKey(options + "keyfile", keyfile);
        PemFiles.checkKeyMatchesCertificate(
                key, options + "keyfile", keyfile, chain.get(0), options + "certfile", certfile);
        List<X509Certificate> trusted = verifyPeer && cacertfile != null
                ? PemFiles.readCertificates(options + "cacertfile", cacertfile)
                : List.of();
        return new Material(key, chain, trusted);
    }

    /**
     * Reads {@code listeners.ssl.clink} and checks its files.
     *
     * @param listener the {@code ssl.clink} section
     * @param bind its parsed {@code bind}
     * @param users its parsed {@code authentication} list
     * @return the listener
     * @throws ConfigLoadException naming the origin, the field and the value
     */
    static LinkTlsListener read(
            ConfigSection listener, BrokerConfig.Bind bind, List<LinkAuthenticator.LinkUser> users) {
        ConfigSection options = listener.section("ssl_options").orElseThrow(() -> listener.missing("ssl_options"));
        options.checkKeys(OPTION_KEYS, OPTIONS_IGNORED, OPTIONS_UNSUPPORTED);
        Path certfile = options.file("certfile").orElseThrow(() -> options.missing("certfile"));
        Path keyfile = options.file("keyfile").orElseThrow(() -> options.missing("keyfile"));
        Path cacertfile = options.file("cacertfile").orElse(null);
        boolean verifyPeer = options.string("verify")
                .map(v -> switch (v) {
                    case "verify_peer" -> true;
                    case "verify_none" -> false;
                    default -> throw options.error("verify", "must be verify_peer or verify_none");
                })
                .orElse(false);
        boolean failIfNoPeerCert = options.bool("fail_if_no_peer_cert").orElse(false);
        if (verifyPeer && cacertfile == null) {
            throw options.error(
                    "verify", "needs cacertfile, the CA certificates that client certificates must chain" + " to");
        }
        if (failIfNoPeerCert && !verifyPeer) {
            throw options.error(
                    "fail_if_no_peer_cert",
                    "needs verify = verify_peer (with verify_none no client" + " certificate is asked for)");
        }
        List<String> versions = new ArrayList<>();
        for (String v : options.strings("versions").orElse(List.of())) {
            versions.add(TlsSettings.SUPPORTED_PROTOCOLS.stream()
                    .filter(p -> p.equalsIgnoreCase(v))
                    .findFirst()
                    .orElseThrow(() -> options.error(
                            "versions", "unsupported TLS version '" + v + "' (allowed: tlsv1.3, tlsv1.2)")));
        }
        if (options.has("versions") && versions.isEmpty()) {
            throw options.error("versions", "lists no version; leave it out for the default (tlsv1.3, tlsv1.2)");
        }
        LinkTlsListener tls =
                new LinkTlsListener(bind, certfile, keyfile, cacertfile, verifyPeer, failIfNoPeerCert, versions, users);
        check(options, "certfile", certfile, f -> PemFiles.readCertificates(options.pathOf("certfile"), f));
        check(options, "keyfile", keyfile, f -> PemFiles.readPrivateKey(options.pathOf("keyfile"), f));
        if (verifyPeer && cacertfile != null) {
            check(options, "cacertfile", cacertfile, f -> PemFiles.readCertificates(options.pathOf("cacertfile"), f));
        }
        // Each file is readable on its own; what remains is whether the key belongs to the certificate.
        check(options, "keyfile", keyfile, f -> tls.load());
        return tls;
    }

    /** Runs a file check, turning its message ("option file: detail") into one naming the origin and value. */
    private static void check(ConfigSection options, String key, Path file, Function<Path, ?> reader) {
        try {
            reader.apply(file);
        } catch (IllegalArgumentException e) {
            String message = Objects.requireNonNullElse(e.getMessage(), "invalid");
            String prefix = options.pathOf(key) + " " + file;
            if (message.startsWith(prefix)) {
                message = message.substring(prefix.length()).replaceFirst("^:? *", "");
            }
            throw options.error(key, message + " (file " + file + ")");
        }
    }
}
