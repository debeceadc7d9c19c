package io.clink.benchmarks;

import io.clink.core.internal.etf.EtfDecoder;
import io.clink.core.internal.etf.ProtocolException;
import io.clink.core.internal.protocol.ControlCodec;
import io.clink.core.internal.protocol.ControlMessage;
import io.clink.core.internal.protocol.ForwardedMessage;
import io.clink.core.internal.protocol.MessageHeaders;
import io.clink.core.internal.protocol.MessageProperties;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The wire codec: a forwarded message ({@code #message{}} record, what every forwarded publish costs) and a 4000-op
 * route batch (what a bootstrap or a burst of subscriptions costs), each encoded and decoded, plain and compressed
 * ({@code term_to_binary/2} with {@code compressed}). Payloads are JSON-like telemetry, so compression has something
 * to find but does not find everything. Run with {@code -prof gc} for bytes per operation.
 *
 * @since 0.1.0
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CodecBenchmark {

    /**
     * A forwarded message and its encoded forms.
     *
     * @since 0.1.0
     */
    @State(Scope.Benchmark)
    public static class MessageState {
        /** Payload bytes. */
        @Param({"100", "1024", "65536"})
        public int payload;

        /** Whether the wire form is compressed. */
        @Param({"false", "true"})
        public boolean compressed;

        ForwardedMessage message;
        byte[] wire;
        final EtfDecoder decoder = EtfDecoder.withDefaults();

        /**
         * Builds the message as a linked broker would forward it.
         *
         * @throws UnknownHostException never (a literal address)
         * @since 0.1.0
         */
        @Setup(Level.Trial)
        public void setUp() throws UnknownHostException {
            byte[] guid = new byte[16];
            new SplittableRandom(7).nextBytes(guid);
            message = ForwardedMessage.builder()
                    .id(guid)
                    .qos(1)
                    .from("sensor-gateway-0042")
                    .headers(MessageHeaders.builder()
                            .properties(MessageProperties.builder()
                                    .contentType("application/json")
                                    .userProperty("tenant", "acme")
                                    .build())
                            .username("gateway")
                            .peerhost(InetAddress.getByAddress(new byte[] {10, 0, 3, 17}))
                            .protoVer(5)
                            .protocolMqtt()
                            .build())
                    .topic("site/s-000042/device/d-0007/temp")
                    .payload(telemetry(payload))
                    .timestamp(1_764_000_000_000L)
                    .build();
            wire = compressed ? message.encodeCompressed() : message.encode();
        }
    }

    /**
     * A 4000-op route batch and its encoded form.
     *
     * @since 0.1.0
     */
    @State(Scope.Benchmark)
    public static class BatchState {
        /** Whether the wire form is compressed. */
        @Param({"false", "true"})
        public boolean compressed;

        ControlMessage.RouteBatch batch;
        byte[] wire;
        final EtfDecoder decoder = EtfDecoder.withDefaults();

        /**
         * Builds a batch of the workload's first 4000 routes, one in eight a delete.
         *
         * @since 0.1.0
         */
        @Setup(Level.Trial)
        public void setUp() {
            List<ControlMessage.RouteOp> ops = new ArrayList<>();
            int i = 0;
            for (RouteWorkload.Route r : new RouteWorkload(42).routes(4000)) {
                ops.add(
                        i++ % 8 == 7
                                ? ControlMessage.RouteOp.delete(r.filter(), r.routeId())
                                : ControlMessage.RouteOp.add(r.filter(), r.routeId()));
            }
            batch = new ControlMessage.RouteBatch("emqx@10.0.0.1", 1_764_000_000_123L, ops);
            wire = compressed ? ControlCodec.encodeCompressed(batch) : ControlCodec.encode(batch);
        }
    }

    /** JSON-like telemetry of exactly {@code size} bytes. */
    static byte[] telemetry(int size) {
        SplittableRandom rnd = new SplittableRandom(size);
        StringBuilder b = new StringBuilder(size + 64).append('[');
        while (b.length() < size) {
            b.append("{\"ts\":")
                    .append(1_764_000_000_000L + rnd.nextInt(1_000_000))
                    .append(",\"temp\":")
                    .append(rnd.nextInt(400) / 10.0)
                    .append(",\"rh\":")
                    .append(rnd.nextInt(1000) / 10.0)
                    .append(",\"ok\":true},");
        }
        byte[] bytes = b.toString().getBytes(StandardCharsets.US_ASCII);
        return java.util.Arrays.copyOf(bytes, size);
    }

    /**
     * Encodes a forwarded message.
     *
     * @param s the message
     * @return the wire bytes
     * @since 0.1.0
     */
    @Benchmark
    public byte[] encodeMessage(MessageState s) {
        return s.compressed ? s.message.encodeCompressed() : s.message.encode();
    }

    /**
     * Decodes a forwarded message.
     *
     * @param s the wire bytes
     * @return the message
     * @throws ProtocolException never (valid bytes)
     * @since 0.1.0
     */
    @Benchmark
    public ForwardedMessage decodeMessage(MessageState s) throws ProtocolException {
        return ForwardedMessage.decode(s.decoder, s.wire);
    }

    /**
     * Encodes a 4000-op route batch.
     *
     * @param s the batch
     * @return the wire bytes
     * @since 0.1.0
     */
    @Benchmark
    public byte[] encodeBatch(BatchState s) {
        return s.compressed ? ControlCodec.encodeCompressed(s.batch) : ControlCodec.encode(s.batch);
    }

    /**
     * Decodes a 4000-op route batch.
     *
     * @param s the wire bytes
     * @return the batch
     * @throws ProtocolException never (valid bytes)
     * @since 0.1.0
     */
    @Benchmark
    public ControlMessage decodeBatch(BatchState s) throws ProtocolException {
        return ControlCodec.decode(s.decoder, s.wire);
    }
}
