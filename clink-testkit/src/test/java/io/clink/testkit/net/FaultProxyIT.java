package io.clink.testkit.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.testkit.Await;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link FaultProxy} against a loopback echo server, with real sockets. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultProxyIT {

    private static final int READ_TIMEOUT_MS = 5_000;

    private ServerSocket echo;
    private Thread echoThread;
    private final List<Socket> echoed = new ArrayList<>();
    private FaultProxy proxy;
    private final List<Socket> clients = new ArrayList<>();

    @BeforeEach
    void startEcho() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        echoThread = new Thread(
                () -> {
                    while (!echo.isClosed()) {
                        try {
                            Socket s = echo.accept();
                            synchronized (echoed) {
                                echoed.add(s);
                            }
                            Thread t = new Thread(() -> echoLoop(s), "echo-conn");
                            t.setDaemon(true);
                            t.start();
                        } catch (IOException e) {
                            return;
                        }
                    }
                },
                "echo");
        echoThread.setDaemon(true);
        echoThread.start();
        proxy = FaultProxy.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort()));
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket c : clients) {
            c.close();
        }
        proxy.close();
        echo.close();
        synchronized (echoed) {
            for (Socket s : echoed) {
                s.close();
            }
        }
        echoThread.join(5_000);
    }

    @Test
    void forward_bytesBothWays_echoedUnchangedAndCounted() throws Exception {
        Socket c = connect();
        byte[] sent = pattern(100_000);
        c.getOutputStream().write(sent);

        assertThat(readExactly(c, sent.length)).isEqualTo(sent);
        // The pump counts a chunk after writing it, so the echo's last bytes can arrive before they are counted.
        Await.until(
                "both directions counted",
                Duration.ofSeconds(5),
                () -> proxy.forwardedBytes() == 2L * sent.length,
                () -> "forwarded " + proxy.forwardedBytes());
        assertThat(proxy.connections())
                .singleElement()
                .satisfies(i -> assertThat(i.bytesUp()).isEqualTo(sent.length))
                .satisfies(i -> assertThat(i.bytesDown()).isEqualTo(sent.length));
        assertThat(proxy.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void cutAll_twoLiveConnections_bothResetAndNewOnesStillAccepted() throws Exception {
        Socket a = connect();
        Socket b = connect();
        roundTrip(a, "a");
        roundTrip(b, "b");

        assertThat(proxy.cutAll()).isEqualTo(2);

        assertClosed(a);
        assertClosed(b);
        awaitNoConnections();
        Socket c = connect();
        roundTrip(c, "c");
    }

    @Test
    void cut_oneConnectionById_onlyThatOneReset() throws Exception {
        Socket a = connect();
        Socket b = connect();
        roundTrip(a, "a");
        roundTrip(b, "b");
        int firstId = proxy.connections().get(0).id();

        assertThat(proxy.cut(firstId)).isTrue();

        assertClosed(a);
        roundTrip(b, "still here");
        assertThat(proxy.cut(9_999)).isFalse();
    }

    @Test
    void stall_dataSentWhileStalled_heldWithoutClosingThenDeliveredOnResume() throws Exception {
        Socket c = connect();
        roundTrip(c, "warm");
        proxy.stall(true);
        c.getOutputStream().write("held".getBytes());
        c.setSoTimeout(300);

        assertThatThrownBy(() -> c.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        assertThat(c.isClosed()).isFalse();
        assertThat(proxy.connections()).hasSize(1);

        proxy.stall(false);
        c.setSoTimeout(READ_TIMEOUT_MS);
        assertThat(new String(readExactly(c, 4))).isEqualTo("held");
    }

    @Test
    void stall_senderKeepsWriting_flowControlBlocksItInsteadOfBuffering() throws Exception {
        Socket c = connect();
        proxy.stall(true);
        // Nothing is read past one chunk, so the socket buffers fill and a writer blocks; a writer thread that
        // has not finished after a while proves the back-pressure.
        byte[] big = pattern(64 * 1024 * 1024);
        Thread writer = new Thread(() -> {
            try {
                c.getOutputStream().write(big);
            } catch (IOException e) {
                // Closed by the test's cleanup.
            }
        });
        writer.setDaemon(true);
        writer.start();
        writer.join(1_000);

        assertThat(writer.isAlive())
                .as("the writer is blocked by the stalled proxy")
                .isTrue();
        assertThat(proxy.connections().get(0).bytesUp()).isZero();
        proxy.cutAll();
        writer.join(READ_TIMEOUT_MS);
        assertThat(writer.isAlive()).isFalse();
    }

    @Test
    void delay_set_eachChunkWaitsAtLeastTheDelay() throws Exception {
        Socket c = connect();
        roundTrip(c, "warm");
        proxy.delay(Duration.ofMillis(200));
        long start = System.nanoTime();

        roundTrip(c, "slow");

        // Two hops (there and back), each delayed.
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(400);
        proxy.heal();
        long healed = System.nanoTime();
        roundTrip(c, "fast");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - healed)).isLessThan(400);
    }

    @Test
    void throttle_set_rateBoundsTransferTime() throws Exception {
        Socket c = connect();
        proxy.throttle(50_000);
        byte[] sent = pattern(20_000);
        long start = System.nanoTime();
        c.getOutputStream().write(sent);

        assertThat(readExactly(c, sent.length)).isEqualTo(sent);
        // 20 kB each way at 50 kB/s per direction, pipelined: at least ~0.4 s minus the first chunk's head start.
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(300);
    }

    @Test
    void refuseNewConnections_on_newConnectionResetLiveOneKept() throws Exception {
        Socket live = connect();
        roundTrip(live, "live");
        proxy.refuseNewConnections(true);

        Socket refused = connect();

        assertClosed(refused);
        roundTrip(live, "still live");
        assertThat(proxy.refusedConnections()).isEqualTo(1);
        proxy.refuseNewConnections(false);
        roundTrip(connect(), "accepted again");
    }

    @Test
    void start_moreThanMaxConnections_extraOnesRefused() throws Exception {
        proxy.close();
        proxy = FaultProxy.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort()), 0, 1);
        Socket first = connect();
        roundTrip(first, "one");

        Socket second = connect();

        assertClosed(second);
        assertThat(proxy.refusedConnections()).isEqualTo(1);
    }

    @Test
    void close_liveAndStalledConnections_allClosedAndPortFreed() throws Exception {
        Socket a = connect();
        roundTrip(a, "a");
        proxy.stall(true);
        int port = proxy.port();

        proxy.close();

        assertClosed(a);
        try (ServerSocket again = new ServerSocket()) {
            again.setReuseAddress(true);
            again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().equals("fault-proxy-" + port) && t.isAlive());
    }

    @Test
    void start_invalidArguments_rejectedNamingTheValue() {
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort());
        assertThatThrownBy(() -> FaultProxy.start(target, 70_000, 1)).hasMessageContaining("70000");
        assertThatThrownBy(() -> FaultProxy.start(target, 0, 0)).hasMessageContaining("maxConnections");
        assertThatThrownBy(() -> proxy.throttle(-1)).hasMessageContaining("-1");
        assertThatThrownBy(() -> proxy.delay(Duration.ofMillis(-5))).hasMessageContaining("negative");
    }

    // ---- helpers ----

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        s.setSoTimeout(READ_TIMEOUT_MS);
        clients.add(s);
        return s;
    }

    private static void roundTrip(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes());
        assertThat(new String(readExactly(s, text.length()))).isEqualTo(text);
    }

    private static byte[] readExactly(Socket s, int n) throws IOException {
        byte[] out = new byte[n];
        InputStream in = s.getInputStream();
        int off = 0;
        while (off < n) {
            int r = in.read(out, off, n - off);
            if (r < 0) {
                throw new IOException("closed after " + off + " of " + n + " bytes");
            }
            off += r;
        }
        return out;
    }

    /** The proxy closed the socket: a read ends (EOF or reset) well before the read timeout. */
    private static void assertClosed(Socket s) {
        assertThatThrownBy(() -> {
                    int r = s.getInputStream().read();
                    if (r < 0) {
                        throw new IOException("EOF");
                    }
                })
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(SocketTimeoutException.class);
    }

    private void awaitNoConnections() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!proxy.connections().isEmpty()) {
            assertThat(System.nanoTime())
                    .as("connections still listed: " + proxy.connections())
                    .isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    private static void echoLoop(Socket s) {
        byte[] buf = new byte[8192];
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // The test or the proxy closed the connection.
        }
    }
}
