package io.clink.broker.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Writes PEM-derived key material as the PKCS#12 key store and trust store files HiveMQ's TLS listener reads.
 *
 * <p>The stores exist only because HiveMQ takes key store files, not PEM: they are written inside the broker's
 * private working directory (owner-only permissions where the file system has them), under a password drawn from
 * {@link SecureRandom} for this start only, and deleted with that directory. HiveMQ opens them as type {@code JKS};
 * the JDK's JKS key store reads PKCS#12 files too ({@code keystore.type.compat}, on by default since JDK 9), so
 * PKCS#12 is written as the format the JDK recommends. Stateless and thread-safe.
 */
public final class KeyStores {

    private static final String KEY_ALIAS = "clink-listener";
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyStores() {}

    /**
     * Where the stores were written and the password opening them (and the private key entry).
     *
     * @param keystore the key store with the listener's key and certificate chain
     * @param truststore the trust store with the trusted CA certificates, or null when none were given
     * @param password the password of both stores and of the key entry
     */
    public record Written(Path keystore, @Nullable Path truststore, String password) {

        /** Never shows the password. */
        @Override
        public String toString() {
            return "Written{keystore=" + keystore + ", truststore=" + truststore + "}";
        }
    }

    /**
     * Writes {@code <name>-keystore.p12} and, when CA certificates are given, {@code <name>-truststore.p12} into a
     * directory, creating it owner-only.
     *
     * @param directory where to write; created if missing
     * @param name the file name prefix, for example the listener name
     * @param key the private key
     * @param chain the certificate chain, the key's certificate first; not empty
     * @param trusted the trusted CA certificates; may be empty
     * @return the files and their password
     * @throws IOException if the files cannot be written
     * @throws GeneralSecurityException if the JDK refuses the key or a certificate
     */
    public static Written write(
            Path directory, String name, PrivateKey key, List<X509Certificate> chain, List<X509Certificate> trusted)
            throws IOException, GeneralSecurityException {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("the certificate chain is empty");
        }
        createPrivateDirectory(directory);
        String password = newPassword();
        char[] secret = password.toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry(KEY_ALIAS, key, secret, chain.toArray(new X509Certificate[0]));
        Path keystore = store(keys, directory.resolve(name + "-keystore.p12"), secret);
        Path truststore = null;
        if (!trusted.isEmpty()) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            for (int i = 0; i < trusted.size(); i++) {
                trust.setCertificateEntry("ca-" + i, trusted.get(i));
            }
            truststore = store(trust, directory.resolve(name + "-truststore.p12"), secret);
        }
        return new Written(keystore, truststore, password);
    }

    /** 144 random bits, URL-safe Base64: no character needs escaping in HiveMQ's config.xml. */
    static String newPassword() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Path store(KeyStore store, Path file, char[] password) throws IOException, GeneralSecurityException {
        Files.deleteIfExists(file);
        if (posix()) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        } else {
            Files.createFile(file);
        }
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING)) {
            store.store(out, password);
        }
        return file;
    }

    private static void createPrivateDirectory(Path directory) throws IOException {
        if (!posix()) {
            Files.createDirectories(directory);
            return;
        }
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        }
        Files.setPosixFilePermissions(directory, OWNER_ONLY_DIR);
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
