package io.clink.broker;

import io.clink.core.LinkChanges;
import io.clink.core.config.ConfigLoadException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.bridge.SLF4JBridgeHandler;
import sun.misc.Signal;

/**
 * {@code java -jar clink-broker.jar --config FILE} runs one linked broker; {@code --demo} runs the quick start's two
 * clusters in one process. Prints {@code clink-broker <cluster> ready: mqtt=<host:port> clink=<host:port>} (with
 * {@code clink-ssl=<host:port>} for a TLS link listener, and without {@code clink=} when there is only that) on
 * standard output when every listener is up (logs go to standard error), and stops cleanly on SIGTERM or Ctrl-C.
 *
 * <p>Exit status: 0 after a clean stop, 2 for a usage or configuration error (the message names the file, the field
 * and the value), 1 when the broker cannot start (for example a port in use).
 *
 * @since 0.1.0
 */
public final class ClinkBrokerMain {

    static final int EXIT_OK = 0;
    static final int EXIT_START_FAILED = 1;
    static final int EXIT_USAGE = 2;

    private static final String USAGE = """
            usage: java -jar clink-broker.jar --config FILE
                   java -jar clink-broker.jar --demo [--demo-ports US_MQTT,US_LINK,EU_MQTT,EU_LINK[,US_API,EU_API]]

              --config FILE   run one broker with the cluster link and listeners of FILE (HOCON:
                              cluster { name, links = [...] } and listeners { tcp.default { bind }, tcp.clink { bind } },
                              or ssl.clink { bind, ssl_options { certfile, keyfile, cacertfile, verify } } for TLS;
                              broker.type = hivemq (the default) or artemis)
              --demo          run the quick start's cluster-us-east (MQTT 1883, link 11883, management API 18083)
                              and cluster-eu-west (MQTT 1884, link 11884, management API 18084) on 127.0.0.1,
                              linked with topics = ["#"], with an API key made for the run (printed)
              --demo-ports    other ports for --demo
              --help          show this text
            """;

    private ClinkBrokerMain() {}

    /** Starts one configured broker: {@link EmbeddedClusterBroker#start(BrokerConfig)} unless a test wraps it. */
    @FunctionalInterface
    interface Starter {
        EmbeddedClusterBroker start(BrokerConfig config);
    }

    /**
     * Runs the broker until the JVM is asked to stop.
     *
     * @param args the command line
     * @since 0.1.0
     */
    public static void main(String[] args) {
        routeJavaUtilLoggingToSlf4j();
        int code = run(args, System.out, System.err, EmbeddedClusterBroker::start, true);
        if (code != EXIT_OK) {
            System.exit(code);
        }
    }

    /**
     * Sends java.util.logging records to slf4j, so that Paho (which logs through java.util.logging) writes to the same
     * log as clink and HiveMQ. Idempotent. logback.xml's {@code LevelChangePropagator} copies logback's levels to
     * java.util.logging, so records below them are dropped before they are built.
     */
    static void routeJavaUtilLoggingToSlf4j() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            // JUL's own console handler would print every record a second time, in another format.
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }

    /**
     * Runs the command line. With {@code block}, waits until the JVM shuts down (the shutdown hook stops the
     * brokers); without, returns once they are ready, leaving them running (for tests).
     */
    static int run(String[] args, PrintStream out, PrintStream err, Starter engine, boolean block) {
        List<EmbeddedClusterBroker> started = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch stopped = new CountDownLatch(1);
        if (block) {
            // Registered before anything starts: a SIGTERM right after the ready line must still stop cleanly.
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                stopAll(started, err);
                                stopped.countDown();
                            },
                            "clink-broker-shutdown"));
        }
        int code = start(args, out, err, engine, started);
        if (code != EXIT_OK || !block) {
            return code;
        }
        reloadOnHangup(started, out, err);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return EXIT_OK;
    }

    static int start(
            String[] args, PrintStream out, PrintStream err, Starter engine, List<EmbeddedClusterBroker> started) {
        Path config = null;
        boolean demo = false;
        Demo.Ports ports = Demo.Ports.DEFAULT;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--config":
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("--config needs a FILE");
                        }
                        config = Path.of(args[++i]);
                        break;
                    case "--demo":
                        demo = true;
                        break;
                    case "--demo-ports":
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("--demo-ports needs four ports");
                        }
                        ports = Demo.Ports.parse(args[++i]);
                        break;
                    case "--help":
                    case "-h":
                        out.print(USAGE);
                        return EXIT_OK;
                    default:
                        throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
            }
            if ((config == null) == !demo) {
                throw new IllegalArgumentException("give exactly one of --config FILE and --demo");
            }
        } catch (IllegalArgumentException e) {
            err.println("clink-broker: " + e.getMessage());
            err.print(USAGE);
            return EXIT_USAGE;
        }
        List<BrokerConfig> configs = new ArrayList<>();
        String apiKey = demo ? Demo.newApiKey() : "";
        try {
            if (demo) {
                String keys;
                try {
                    keys = Demo.apiKeySetting(apiKey);
                } catch (java.io.IOException e) {
                    err.println("clink-broker: cannot start: cannot write the demo's API key file: " + e);
                    return EXIT_START_FAILED;
                }
                configs.add(Demo.config("demo:cluster-us-east", Demo.usEast(ports) + keys));
                configs.add(Demo.config("demo:cluster-eu-west", Demo.euWest(ports, List.of("#")) + keys));
            } else if (config != null) {
                configs.add(BrokerConfig.load(config));
            }
        } catch (ConfigLoadException e) {
            err.println("clink-broker: configuration error: " + e.getMessage());
            return EXIT_USAGE;
        }
        try {
            for (BrokerConfig c : configs) {
                EmbeddedClusterBroker b = engine.start(c);
                started.add(b);
                out.println(b.readyLine());
                out.flush();
            }
        } catch (BrokerStartException | ConfigLoadException e) {
            err.println("clink-broker: cannot start: " + e.getMessage());
            stopAll(started, err);
            return EXIT_START_FAILED;
        }
        if (demo) {
            out.print(Demo.instructions(ports, apiKey));
            out.flush();
        }
        return EXIT_OK;
    }

    /**
     * {@code kill -HUP} reloads each broker's configuration file ({@link EmbeddedClusterBroker#reload()}). The JVM's
     * signal thread only hands the work to one reload thread, so reloads run one at a time and the signal handler
     * returns at once. Platforms without SIGHUP (Windows) get a line saying reload is off.
     */
    private static void reloadOnHangup(List<EmbeddedClusterBroker> started, PrintStream out, PrintStream err) {
        ExecutorService reloads = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "clink-broker-reload");
            t.setDaemon(true);
            return t;
        });
        try {
            Signal.handle(new Signal("HUP"), signal -> reloads.execute(() -> reloadAll(started, out, err)));
        } catch (IllegalArgumentException e) {
            err.println(
                    "clink-broker: no SIGHUP on this platform (" + e.getMessage() + "): configuration reload is off");
        }
    }

    /** Reloads every started broker; one line each on what changed or why nothing did. */
    static void reloadAll(List<EmbeddedClusterBroker> started, PrintStream out, PrintStream err) {
        List<EmbeddedClusterBroker> copy;
        synchronized (started) {
            copy = new ArrayList<>(started);
        }
        for (EmbeddedClusterBroker b : copy) {
            String name = b.config().cluster().name();
            try {
                LinkChanges changes = b.reload();
                out.println("clink-broker " + name + " reloaded " + b.config().file() + ": " + changes.summary());
                out.flush();
            } catch (ConfigLoadException e) {
                err.println("clink-broker: configuration error: " + e.getMessage()
                        + " (reload refused: the running links stay as they are)");
                err.flush();
            } catch (IllegalArgumentException | IllegalStateException e) {
                err.println("clink-broker " + name + ": reload refused: " + e.getMessage()
                        + "; the running links stay as they are");
                err.flush();
            }
        }
    }

    private static void stopAll(List<EmbeddedClusterBroker> started, PrintStream err) {
        List<EmbeddedClusterBroker> copy;
        synchronized (started) {
            copy = new ArrayList<>(started);
            started.clear();
        }
        for (int i = copy.size() - 1; i >= 0; i--) {
            EmbeddedClusterBroker b = copy.get(i);
            err.println("clink-broker " + b.config().cluster().name() + " stopping");
            err.flush();
            try {
                b.close();
            } catch (Throwable t) {
                err.println("clink-broker " + b.config().cluster().name() + " did not stop cleanly: " + t);
            }
            err.println("clink-broker " + b.config().cluster().name() + " stopped");
            err.flush();
        }
    }
}
