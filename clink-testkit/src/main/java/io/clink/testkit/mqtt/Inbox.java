package io.clink.testkit.mqtt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.jspecify.annotations.Nullable;

/*
 * Why this exists: everything the server sends a MqttTestClient unasked (messages, a DISCONNECT, errors) arrives on
 * Paho's callback thread and is awaited on the test's thread; this class is that hand-over and the bounded waits on
 * it, apart from the client's requests.
 */
final class Inbox implements MqttCallback {

    private final String clientId;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> serverDisconnect = new CompletableFuture<>();
    private volatile @Nullable Consumer<Received> handler;

    Inbox(String clientId) {
        this.clientId = clientId;
    }

    BlockingQueue<Received> queue() {
        return received;
    }

    void handler(@Nullable Consumer<Received> handler) {
        this.handler = handler;
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    void problem(String what) {
        problems.add(what);
    }

    /** The problems, as a suffix of a failure message; empty when there were none. */
    String problemsSuffix() {
        return problems.isEmpty() ? "" : "; problems: " + problems;
    }

    /** Takes {@code n} messages, oldest first, failing with how many came if fewer do within {@code timeout}. */
    List<Received> take(int n, Duration timeout) throws InterruptedException {
        if (n < 1) {
            throw new IllegalArgumentException("awaitMessages: n must be at least 1: " + n);
        }
        List<Received> got = new ArrayList<>(n);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (got.size() < n) {
            Received r = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (r == null) {
                throw new AssertionError(clientId + " received " + got.size() + " of " + n + " messages within "
                        + timeout.toMillis() + " ms: " + got + problemsSuffix());
            }
            got.add(r);
        }
        return got;
    }

    /** Takes messages until one on {@code topic}, dropping the others; empty if none comes within {@code wait}. */
    Optional<Received> takeOn(String topic, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Received r = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (r == null) {
                return Optional.empty();
            }
            if (r.topic().equals(topic)) {
                return Optional.of(r);
            }
        }
    }

    /** The server DISCONNECT's reason code, or {@link MqttTestClient#NO_DISCONNECT} if none came within wait. */
    int awaitServerDisconnect(Duration wait) throws InterruptedException {
        try {
            return serverDisconnect.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return MqttTestClient.NO_DISCONNECT;
        } catch (ExecutionException e) {
            throw new AssertionError("unreachable: the DISCONNECT future is never failed", e.getCause());
        }
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        problems.add("disconnected: " + response);
        // Paho reports a server DISCONNECT with its reason code, a lost socket with its own exception.
        MqttException e = response.getException();
        serverDisconnect.complete(
                e != null && e.getReasonCode() >= 0x80 && e.getReasonCode() <= 0xA2
                        ? e.getReasonCode()
                        : response.getReturnCode());
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        problems.add("error: " + exception);
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        Received r = new Received(topic, message);
        Consumer<Received> h = handler;
        if (h != null) {
            h.accept(r);
        } else {
            received.add(r);
        }
    }

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
}
