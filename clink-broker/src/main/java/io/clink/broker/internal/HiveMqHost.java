package io.clink.broker.internal;

import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.migration.meta.PersistenceType;
import io.clink.broker.BrokerConfig;
import io.clink.broker.BrokerStartException;
import io.clink.broker.LinkTlsListener;
import io.clink.core.ClusterLink;
import io.clink.hivemq.EmbeddedExtensionMain;
import io.clink.hivemq.LinkAuthenticator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HiveMQ CE as a {@link HostedBroker}: an {@link EmbeddedHiveMQ} with in-memory persistence, its working files
 * (config.xml, the TLS key stores) in a {@link HiveMqWorkDirectory}, and clink's extension embedded, so the engine
 * starts inside HiveMQ's extension start, before the listeners accept clients. Link users are authenticated by
 * {@link LinkAuthenticator}.
 */
public final class HiveMqHost implements HostedBroker {

    /**
     * How many queued messages HiveMQ takes from a client's queue at a time (its default is 50). HiveMQ takes the
     * next batch only once every message of the previous one is acknowledged, and a client that does not set
     * TCP_NODELAY ({@code mosquitto_sub}, Python Paho) holds its PUBACKs back until the broker's delayed ACK (40 ms
     * on Linux) once the broker has nothing left to send: with 50 that capped QoS 1 delivery near 1,000 msg/s and
     * the queue overflowed under a burst. Within a batch the in-flight window ({@code mqtt.max_inflight}) still
     * applies; the batch only sets how often the 40 ms stall happens (once per 5,000 messages). HiveMQ also caps a
     * batch at 5 MiB of payload.
     */
    static final int PUBLISH_POLL_BATCH = 5000;

    private static final Logger LOG = LoggerFactory.getLogger(HiveMqHost.class);
    private static final long START_TIMEOUT_SECONDS = 120;
    private static final long STOP_TIMEOUT_SECONDS = 60;

    /**
     * Makes the engine's starter: {@code HiveMqEngineStarters::starter} unless a test wraps it.
     */
    @FunctionalInterface
    public interface Engine {
        /**
         * Makes the starter. Called once, on the starting thread.
         *
         * @param config the broker's configuration
         * @param dataDirectory where the engine keeps its state
         * @param started to be called with the engine once it runs
         * @return the starter, not null
         */
        EmbeddedExtensionMain.EngineStarter starter(
                BrokerConfig config, Path dataDirectory, Consumer<? super ClusterLink> started);
    }

    private final String cluster;
    private final HiveMqWorkDirectory workDir;
    private final EmbeddedHiveMQ hivemq;
    private final AtomicReference<ClusterLink> link = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private HiveMqHost(String cluster, HiveMqWorkDirectory workDir, EmbeddedHiveMQ hivemq) {
        this.cluster = cluster;
        this.workDir = workDir;
        this.hivemq = hivemq;
    }

    /**
     * Starts HiveMQ with clink and returns when every listener is up. Blocking; the starting thread only.
     *
     * @param config what to run
     * @param clinkData where the engine keeps its state, existing and writable
     * @param engine makes the engine's starter
     * @param limits the listener names and limits of the config.xml
     * @return the running broker
     * @throws BrokerStartException if the working directory cannot be prepared, HiveMQ does not start, or the engine
     *     refuses to start
     */
    public static HiveMqHost start(BrokerConfig config, Path clinkData, Engine engine, HiveMqConfigXml.Limits limits) {
        HiveMqWorkDirectory work = prepareWorkDirectory(config, limits);
        // RocksDB's native libraries are left out of the jar; with in-memory persistence these stores must not ask
        // for them.
        InternalConfigurations.PAYLOAD_PERSISTENCE_TYPE.set(PersistenceType.FILE);
        InternalConfigurations.RETAINED_MESSAGE_PERSISTENCE_TYPE.set(PersistenceType.FILE);
        // HiveMQ keeps these two in static fields: brokers in one JVM share them, the last one started wins.
        InternalConfigurations.MAX_INFLIGHT_WINDOW_SIZE_MESSAGES =
                config.session().maxInflight();
        InternalConfigurations.PUBLISH_POLL_BATCH_SIZE = PUBLISH_POLL_BATCH;
        AtomicReference<ClusterLink> started = new AtomicReference<>();
        EmbeddedExtensionMain main = new EmbeddedExtensionMain(
                linkListeners(config, limits),
                engine.starter(config, clinkData, started::set),
                linkUsers(config, limits));
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(work.conf())
                .withDataFolder(work.data())
                .withExtensionsFolder(work.extensions())
                .withEmbeddedExtension(embedded(main))
                .withoutLoggingBootstrap()
                .build();
        HiveMqHost host = new HiveMqHost(config.cluster().name(), work, hivemq);
        try {
            hivemq.start().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            host.close();
            throw new BrokerStartException("interrupted while starting", e);
        } catch (ExecutionException | TimeoutException e) {
            host.close();
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new BrokerStartException("HiveMQ did not start: " + cause.getMessage(), cause);
        }
        ClusterLink engineStarted = started.get();
        if (main.broker().isEmpty() || engineStarted == null) {
            host.close();
            throw new BrokerStartException("the cluster link extension did not start (see the log above)", null);
        }
        host.link.set(engineStarted);
        return host;
    }

    @Override
    public ClusterLink link() {
        ClusterLink l = link.get();
        if (l == null) {
            throw new IllegalStateException("not started");
        }
        return l;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            hivemq.stop().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            hivemq.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("HiveMQ of {} did not stop cleanly: {}", cluster, e.toString());
        }
        workDir.delete();
    }

    /** HiveMQ's working directory with its config.xml and, for a TLS link listener, the key stores. */
    private static HiveMqWorkDirectory prepareWorkDirectory(BrokerConfig config, HiveMqConfigXml.Limits limits) {
        HiveMqWorkDirectory work;
        try {
            work = HiveMqWorkDirectory.create(config.cluster().name());
        } catch (IOException e) {
            throw new BrokerStartException("cannot prepare HiveMQ's working directory: " + e, e);
        }
        try {
            LinkTlsListener tls = config.linkTls();
            KeyStores.Written stores =
                    tls == null ? null : LinkTlsStores.write(config, tls, work.tls(), limits.linkTlsListener());
            work.writeConfig(HiveMqConfigXml.render(config, stores, limits));
            return work;
        } catch (IOException e) {
            work.delete();
            throw new BrokerStartException("cannot prepare HiveMQ's working directory: " + e, e);
        } catch (RuntimeException e) {
            work.delete();
            throw e;
        }
    }

    private static EmbeddedExtension embedded(EmbeddedExtensionMain main) {
        return EmbeddedExtension.builder()
                .withId("clink")
                .withName("clink cluster link")
                .withVersion(Version.VALUE)
                .withPriority(1000)
                .withStartPriority(1000)
                .withExtensionMain(main)
                .build();
    }

    private static Set<String> linkListeners(BrokerConfig c, HiveMqConfigXml.Limits limits) {
        Set<String> names = new LinkedHashSet<>();
        if (c.link() != null) {
            names.add(limits.linkListener());
        }
        if (c.linkTls() != null) {
            names.add(limits.linkTlsListener());
        }
        return names;
    }

    private static Map<String, List<LinkAuthenticator.LinkUser>> linkUsers(
            BrokerConfig c, HiveMqConfigXml.Limits limits) {
        Map<String, List<LinkAuthenticator.LinkUser>> users = new LinkedHashMap<>();
        if (c.link() != null && !c.linkUsers().isEmpty()) {
            users.put(limits.linkListener(), c.linkUsers());
        }
        if (c.linkTls() != null && !c.linkTls().users().isEmpty()) {
            users.put(limits.linkTlsListener(), c.linkTls().users());
        }
        return users;
    }
}
