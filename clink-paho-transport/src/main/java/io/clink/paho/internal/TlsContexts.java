package io.clink.paho.internal;

import io.clink.api.transport.TlsSettings;
import io.clink.paho.PemFiles;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Builds the JDK TLS objects for a link connection from {@link TlsSettings}: trust (CA file or the JDK's trust
 * store), the client key and certificate chain, and the per-socket parameters (protocols, SNI, host name
 * verification). Thread-safe; every call reads the files again, so a renewed certificate is used at the next
 * connect.
 */
public final class TlsContexts {

    private TlsContexts() {}

    /**
     * Parses every file the settings name and checks that the key matches the certificate.
     *
     * @param settings the settings
     * @throws IllegalArgumentException naming the option, the file and the problem
     */
    public static void validate(TlsSettings settings) {
        settings.caFile().ifPresent(ca -> PemFiles.readCertificates("ssl.cacertfile", ca));
        loadClientIdentity(settings);
    }

    /**
     * Builds an SSL context from the settings.
     *
     * @param settings the settings
     * @return a context ready for client sockets
     * @throws SSLException if the files are no longer valid or the JDK refuses the material; the message names the
     *     file
     */
    public static SSLContext create(TlsSettings settings) throws SSLException {
        try {
            TrustManager[] trust = settings.verifyPeer()
                    ? trustManagers(settings.caFile())
                    : new TrustManager[] {new TrustEverything()};
            KeyManager[] keys = keyManagers(settings);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, new SecureRandom());
            return context;
        } catch (IllegalArgumentException e) {
            throw new SSLException("TLS configuration: " + e.getMessage(), e);
        } catch (GeneralSecurityException | IOException e) {
            throw new SSLException("TLS configuration: " + e.getMessage(), e);
        }
    }

    /**
     * Layers TLS over a connected socket and configures it (protocols, SNI, endpoint identification). The handshake
     * is not started.
     *
     * @param context the context from {@link #create}
     * @param settings the settings
     * @param raw the connected TCP socket; closed with the TLS socket
     * @param host the host the options name (used for SNI and verification unless a server name is set)
     * @param port the port
     * @return the TLS socket
     * @throws IOException if the JDK cannot layer the socket
     */
    public static SSLSocket layer(SSLContext context, TlsSettings settings, Socket raw, String host, int port)
            throws IOException {
        String peerName = settings.serverName().orElse(host);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(raw, peerName, port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setProtocols(settings.protocols().toArray(new String[0]));
        if (settings.verifyPeer()) {
            // "HTTPS" identification = RFC 2818/6125 host name check against the SAN entries, done inside the
            // handshake.
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (!isIpLiteral(peerName)) {
            parameters.setServerNames(List.of(new SNIHostName(peerName)));
        }
        socket.setSSLParameters(parameters);
        return socket;
    }

    /** Whether a host string is an IPv4 or IPv6 literal (SNI must not carry those, RFC 6066 section 3). */
    static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    }

    private static TrustManager[] trustManagers(Optional<Path> caFile) throws GeneralSecurityException, IOException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (caFile.isEmpty()) {
            factory.init((KeyStore) null);
            return factory.getTrustManagers();
        }
        List<X509Certificate> cas = PemFiles.readCertificates("ssl.cacertfile", caFile.get());
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (X509Certificate ca : cas) {
            store.setCertificateEntry("ca-" + i++, ca);
        }
        factory.init(store);
        return factory.getTrustManagers();
    }

    private static KeyManager @org.jspecify.annotations.Nullable [] keyManagers(TlsSettings settings)
            throws GeneralSecurityException, IOException {
        ClientIdentity identity = loadClientIdentity(settings);
        if (identity == null) {
            return null;
        }
        char[] password = "clink".toCharArray(); // protects only this in-memory store
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setKeyEntry("client", identity.key(), password, identity.chain().toArray(new X509Certificate[0]));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        return factory.getKeyManagers();
    }

    private record ClientIdentity(PrivateKey key, List<X509Certificate> chain) {}

    private static @org.jspecify.annotations.Nullable ClientIdentity loadClientIdentity(TlsSettings settings) {
        if (settings.certFile().isEmpty() || settings.keyFile().isEmpty()) {
            return null;
        }
        Path certFile = settings.certFile().get();
        Path keyFile = settings.keyFile().get();
        List<X509Certificate> chain = PemFiles.readCertificates("ssl.certfile", certFile);
        PrivateKey key = PemFiles.readPrivateKey("ssl.keyfile", keyFile);
        PemFiles.checkKeyMatchesCertificate(key, keyFile, chain.get(0), certFile);
        return new ClientIdentity(key, chain);
    }

    /** Used only when the user turned verification off ({@code verify = verify_none}); logged as a warning. */
    private static final class TrustEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
