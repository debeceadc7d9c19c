package io.clink.api.transport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * TLS settings of an outbound link connection (the link's {@code ssl} block). Immutable; built by {@link
 * #builder()}, which checks at configuration time that the named files are readable. Whether a certificate matches
 * its key, and whether the PEM files parse, is checked by {@link LinkTransport#validate}.
 *
 * <p>Defaults: the JDK's trust store when no CA file is given; server verification (certificate chain and host
 * name) on; SNI set to the server's host name; TLS 1.3 and TLS 1.2.
 *
 * @since 0.1.0
 */
public final class TlsSettings {

    /** The protocol versions clink allows. Older versions are refused. */
    public static final List<String> SUPPORTED_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final @Nullable Path caFile;
    private final @Nullable Path certFile;
    private final @Nullable Path keyFile;
    private final boolean verifyPeer;
    private final @Nullable String serverName;
    private final List<String> protocols;

    private TlsSettings(Builder b) {
        this.caFile = b.caFile;
        this.certFile = b.certFile;
        this.keyFile = b.keyFile;
        this.verifyPeer = b.verifyPeer;
        this.serverName = b.serverName;
        this.protocols = List.copyOf(b.protocols);
    }

    /**
     * Starts a builder with the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * PEM file of the certificate authorities trusted for the server certificate.
     *
     * @return the file, or empty to use the JDK's default trust store
     */
    public Optional<Path> caFile() {
        return Optional.ofNullable(caFile);
    }

    /**
     * PEM file of the client certificate chain (mutual TLS).
     *
     * @return the file, or empty for no client certificate
     */
    public Optional<Path> certFile() {
        return Optional.ofNullable(certFile);
    }

    /**
     * PEM file of the client's private key (PKCS#8, or PKCS#1 RSA / SEC1 EC where the transport supports it).
     *
     * @return the file, or empty for no client certificate
     */
    public Optional<Path> keyFile() {
        return Optional.ofNullable(keyFile);
    }

    /**
     * Whether the server's certificate chain and host name are verified. On by default; turning it off makes the link
     * open to man-in-the-middle attacks and is logged as a warning by the transport.
     *
     * @return {@code true} when verifying
     */
    public boolean verifyPeer() {
        return verifyPeer;
    }

    /**
     * The SNI host name sent in the TLS handshake and checked against the certificate.
     *
     * @return the name, or empty to use the server's host name
     */
    public Optional<String> serverName() {
        return Optional.ofNullable(serverName);
    }

    /**
     * The enabled TLS protocol versions, in preference order.
     *
     * @return a non-empty immutable list drawn from {@link #SUPPORTED_PROTOCOLS}
     */
    public List<String> protocols() {
        return protocols;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TlsSettings)) {
            return false;
        }
        TlsSettings t = (TlsSettings) o;
        return verifyPeer == t.verifyPeer
                && Objects.equals(caFile, t.caFile)
                && Objects.equals(certFile, t.certFile)
                && Objects.equals(keyFile, t.keyFile)
                && Objects.equals(serverName, t.serverName)
                && protocols.equals(t.protocols);
    }

    @Override
    public int hashCode() {
        return Objects.hash(caFile, certFile, keyFile, verifyPeer, serverName, protocols);
    }

    @Override
    public String toString() {
        return "TlsSettings{caFile=" + caFile + ", certFile=" + certFile + ", keyFile=" + keyFile + ", verifyPeer="
                + verifyPeer + ", serverName=" + serverName + ", protocols=" + protocols + '}';
    }

    /**
     * Builds {@link TlsSettings}. Not thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private @Nullable Path caFile;
        private @Nullable Path certFile;
        private @Nullable Path keyFile;
        private boolean verifyPeer = true;
        private @Nullable String serverName;
        private List<String> protocols = SUPPORTED_PROTOCOLS;

        private Builder() {}

        /**
         * Sets the CA bundle (PEM).
         *
         * @param file the file; null to use the JDK's trust store
         * @return this builder
         */
        public Builder caFile(@Nullable Path file) {
            this.caFile = file;
            return this;
        }

        /**
         * Sets the client certificate chain (PEM); requires {@link #keyFile}.
         *
         * @param file the file; null for none
         * @return this builder
         */
        public Builder certFile(@Nullable Path file) {
            this.certFile = file;
            return this;
        }

        /**
         * Sets the client private key (PEM); requires {@link #certFile}.
         *
         * @param file the file; null for none
         * @return this builder
         */
        public Builder keyFile(@Nullable Path file) {
            this.keyFile = file;
            return this;
        }

        /**
         * Turns server verification on (the default) or off.
         *
         * @param verify whether to verify the server certificate and host name
         * @return this builder
         */
        public Builder verifyPeer(boolean verify) {
            this.verifyPeer = verify;
            return this;
        }

        /**
         * Sets the SNI host name.
         *
         * @param name a host name; null to use the server's host
         * @return this builder
         * @throws IllegalArgumentException if the name is empty or contains whitespace
         */
        public Builder serverName(@Nullable String name) {
            if (name != null && (name.isBlank() || name.chars().anyMatch(Character::isWhitespace))) {
                throw new IllegalArgumentException("ssl.server_name_indication must be a host name: '" + name + "'");
            }
            this.serverName = name;
            return this;
        }

        /**
         * Sets the enabled protocol versions.
         *
         * @param versions a non-empty list of {@code TLSv1.3} and/or {@code TLSv1.2}
         * @return this builder
         * @throws IllegalArgumentException if the list is empty, has duplicates, or names another version
         */
        public Builder protocols(List<String> versions) {
            Objects.requireNonNull(versions, "versions");
            if (versions.isEmpty()) {
                throw new IllegalArgumentException("ssl.versions must not be empty");
            }
            for (String v : versions) {
                if (!SUPPORTED_PROTOCOLS.contains(v)) {
                    throw new IllegalArgumentException(
                            "ssl.versions: unsupported TLS version '" + v + "' (allowed: " + SUPPORTED_PROTOCOLS + ")");
                }
            }
            if (versions.stream().distinct().count() != versions.size()) {
                throw new IllegalArgumentException("ssl.versions has duplicates: " + versions);
            }
            this.protocols = List.copyOf(versions);
            return this;
        }

        /**
         * Builds the settings, checking that every named file is a readable regular file and that a certificate and a
         * key come together.
         *
         * @return the settings
         * @throws IllegalArgumentException naming the file or option at fault
         */
        public TlsSettings build() {
            if ((certFile == null) != (keyFile == null)) {
                throw new IllegalArgumentException("ssl.certfile and ssl.keyfile must be given together (certfile="
                        + certFile + ", keyfile=" + keyFile + ")");
            }
            checkReadable("ssl.cacertfile", caFile);
            checkReadable("ssl.certfile", certFile);
            checkReadable("ssl.keyfile", keyFile);
            return new TlsSettings(this);
        }

        private static void checkReadable(String option, @Nullable Path file) {
            if (file == null) {
                return;
            }
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(option + ": no such file: " + file);
            }
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException(option + ": file is not readable: " + file);
            }
        }
    }
}
