package io.clink.broker.internal;

import io.clink.broker.BrokerConfig;
import io.clink.broker.BrokerStartException;
import io.clink.broker.LinkTlsListener;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/**
 * The TLS link listener's key stores for either broker: both take key store files, not PEM. Stateless.
 */
public final class LinkTlsStores {

    private LinkTlsStores() {}

    /**
     * Reads the PEM files again (they may have changed since the configuration was loaded) and writes them as key
     * stores. Blocking (file system); any thread.
     *
     * @param config the configuration, for messages
     * @param tls the listener
     * @param dir a private directory to write into
     * @param name the listener's name, the files' prefix
     * @return the stores and their password
     * @throws BrokerStartException naming the option and file when a file is unreadable or the JDK refuses the key
     * @throws IOException if the stores cannot be written
     */
    public static KeyStores.Written write(BrokerConfig config, LinkTlsListener tls, Path dir, String name)
            throws IOException {
        LinkTlsListener.Material material;
        try {
            material = tls.load();
        } catch (IllegalArgumentException e) {
            throw new BrokerStartException(config.file() + ": " + e.getMessage(), e);
        }
        try {
            return KeyStores.write(dir, name, material.key(), material.chain(), material.trusted());
        } catch (GeneralSecurityException e) {
            throw new BrokerStartException(
                    config.file() + ": listeners.ssl.clink.ssl_options: the JDK refuses the key "
                            + "or certificates of certfile " + tls.certfile() + " / keyfile " + tls.keyfile() + ": "
                            + e.getMessage(),
                    e);
        }
    }
}
