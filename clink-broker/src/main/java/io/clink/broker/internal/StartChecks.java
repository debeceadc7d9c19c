package io.clink.broker.internal;

import io.clink.broker.BrokerConfig;
import io.clink.broker.BrokerStartException;
import io.clink.broker.LinkTlsListener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;

/**
 * What clink-broker checks before it starts a broker, so that a bad setting stops the start at once with the
 * setting named ({@code <file>: listeners.tcp.clink.bind = "...": cannot listen there: ...}) instead of surfacing
 * later as a HiveMQ start failure or as the engine's endless retries; and the warnings an operator must see about a
 * link listener anyone could use.
 *
 * <p>Blocking (binds sockets, writes a probe file); called on the starting thread only.
 */
public final class StartChecks {

    private StartChecks() {}

    /**
     * Binds every configured address once and releases it.
     *
     * @param config the configuration
     * @throws BrokerStartException naming the first address that cannot be listened on
     */
    public static void addressesFree(BrokerConfig config) {
        checkFree(config, "listeners.tcp.default.bind", config.mqtt());
        BrokerConfig.Bind link = config.link();
        if (link != null) {
            checkFree(config, "listeners.tcp.clink.bind", link);
        }
        LinkTlsListener tls = config.linkTls();
        if (tls != null) {
            checkFree(config, "listeners.ssl.clink.bind", tls.bind());
        }
        if (config.management().enabled()) {
            checkFree(config, "management.bind", config.management().bind());
        }
    }

    /**
     * Creates {@code <node.data_dir>/clink/<cluster>} and proves it writable by writing into it, so that a bad
     * directory stops the start here with its setting named, not later in the engine's retries.
     *
     * @param config the configuration
     * @return the directory, existing and writable
     * @throws BrokerStartException naming {@code node.data_dir} and the failure
     */
    public static Path dataDirectory(BrokerConfig config) {
        Path dir = config.dataDir().resolve("clink").resolve(config.cluster().name());
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-check-", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new BrokerStartException(
                    config.file() + ": node.data_dir = \"" + config.dataDir() + "\": cannot write there (" + e + ")",
                    e);
        }
        return dir;
    }

    /**
     * Warns about link listeners that accept any client as a linked cluster: no authentication list, and for TLS no
     * required client certificate either.
     *
     * @param config the configuration
     * @param log where the warnings go
     */
    public static void warnOpenLinkListeners(BrokerConfig config, Logger log) {
        if (config.link() != null && config.linkUsers().isEmpty()) {
            log.warn(
                    "{}: listeners.tcp.clink has no authentication list: any client reaching {} may act as a linked "
                            + "cluster. Add authentication = [{{ username, password, cluster }}] outside a trusted network.",
                    config.file(),
                    config.link());
        }
        LinkTlsListener tls = config.linkTls();
        if (tls != null
                && tls.users().isEmpty()
                && tls.clientAuthentication() != LinkTlsListener.ClientAuthentication.REQUIRED) {
            log.warn(
                    "{}: listeners.ssl.clink has no authentication list and does not require client certificates: "
                            + "any client reaching {} may act as a linked cluster. Add authentication = [...] or "
                            + "ssl_options {{ verify = verify_peer, fail_if_no_peer_cert = true }}.",
                    config.file(),
                    tls.bind());
        }
    }

    private static void checkFree(BrokerConfig config, String path, BrokerConfig.Bind bind) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(bind.host()), bind.port()));
        } catch (IOException e) {
            throw new BrokerStartException(
                    config.file() + ": " + path + " = \"" + bind + "\": cannot listen there: " + e.getMessage(), e);
        }
    }
}
