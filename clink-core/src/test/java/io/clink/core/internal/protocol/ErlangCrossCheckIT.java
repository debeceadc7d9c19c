package io.clink.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clink.core.internal.etf.ErlAtom;
import io.clink.core.internal.etf.ErlBinary;
import io.clink.core.internal.etf.ErlInteger;
import io.clink.core.internal.etf.ErlMap;
import io.clink.core.internal.etf.ErlOpaque;
import io.clink.core.internal.etf.ErlTuple;
import io.clink.core.internal.etf.EtfDecoder;
import io.clink.core.internal.etf.EtfEncoder;
import io.clink.core.internal.etf.ProtocolException;
import io.clink.core.internal.etf.Term;
import io.clink.core.internal.protocol.MessageProperties.UserProperty;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Cross-checks the codec against a real Erlang runtime, in one {@code escript} run:
 * <ol>
 *   <li>Java encodes fixed and a few hundred seeded random messages of every type, plain and compressed; the
 *       script decodes each with {@code binary_to_term(Bin, [safe])} after creating exactly EMQX's boot atoms, and
 *       checks the shape EMQX's decoders match on. It re-encodes what it decoded, which must be Java's bytes.</li>
 *   <li>Payloads EMQX must refuse (an atom EMQX lacks, a wrong shape) are refused, so the judge can fail.</li>
 *   <li>The reverse: terms the script builds (with pids, references, funs, ports, big maps, OTP 25's Latin-1 atom
 *       tags, compressed) decode in Java.</li>
 * </ol>
 * Without {@code escript} on the PATH the test is skipped with a message, unless {@code CI=true}: then it fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErlangCrossCheckIT {
    private static final long SEED = 0xC1_1E_C0DEL;
    private static final int RANDOM_CASES = 300;
    private static final String UNKNOWN_ATOM = "clink_not_an_emqx_atom";

    private final EtfDecoder decoder = EtfDecoder.withDefaults();
    private final List<Case> cases = new ArrayList<>();
    private final List<Verdict> verdicts = new ArrayList<>();
    private final Map<String, byte[][]> reverse = new LinkedHashMap<>();
    private @Nullable String skipReason;

    /** One payload sent to Erlang and what must come back. */
    private static final class Case {
        final String name;
        final byte[] payload;
        final int expectedStatus;
        final @Nullable Object typed;

        Case(String name, byte[] payload, int expectedStatus, @Nullable Object typed) {
            this.name = name;
            this.payload = payload;
            this.expectedStatus = expectedStatus;
            this.typed = typed;
        }
    }

    private static final class Verdict {
        final int status;
        final byte[] first;
        final byte @Nullable [] compressed;

        Verdict(int status, byte[] first, byte @Nullable [] compressed) {
            this.status = status;
            this.first = first;
            this.compressed = compressed;
        }
    }

    @BeforeAll
    void runErlang(@TempDir Path tmp) throws Exception {
        String escript = findOnPath("escript");
        if (escript == null) {
            String message = "escript/erl (Debian package erlang-base) is not on the PATH; the Erlang cross-check of"
                    + " the codec cannot run";
            if ("true".equals(System.getenv("CI"))) {
                fail(message + ", and CI=true requires it");
            }
            skipReason = message + ": SKIPPED locally (with CI=true this fails)";
            System.err.println("[ErlangCrossCheckIT] " + skipReason);
            return;
        }
        buildCases();
        Path script = tmp.resolve("clink_cross_check.escript");
        try (InputStream in = getClass().getResourceAsStream("/erlang/clink_cross_check.escript")) {
            Files.copy(in, script);
        }
        Path input = tmp.resolve("in.bin");
        Path output = tmp.resolve("out.bin");
        ByteArrayOutputStream framed = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(framed);
        for (Case c : cases) {
            out.writeInt(c.payload.length);
            out.write(c.payload);
        }
        Files.write(input, framed.toByteArray());

        Process p = new ProcessBuilder(escript, script.toString(), input.toString(), output.toString())
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("escript did not finish within 60 s");
        }
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("escript exit code; output:%n%s", log).isZero();
        readOutput(Files.readAllBytes(output));
    }

    private static @Nullable String findOnPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            File f = new File(dir, command);
            if (f.isFile() && f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        return null;
    }

    private void buildCases() throws Exception {
        for (Arguments a : ControlCodecTest.vectors().collect(Collectors.toList())) {
            addControl("golden " + a.get()[0], (ControlMessage) a.get()[1]);
        }
        for (Arguments a : ForwardedMessageTest.vectors().collect(Collectors.toList())) {
            addMessage("golden " + a.get()[0], (ForwardedMessage) a.get()[1]);
        }
        RandomMessages random = new RandomMessages(SEED);
        for (int i = 0; i < RANDOM_CASES; i++) {
            if (i % 2 == 0) {
                addControl("random control " + i, random.control());
            } else {
                addMessage("random message " + i, random.message());
            }
        }
        // Payloads an EMQX node refuses; proof the judge is not trivially accepting.
        ErlMap heartbeat = ControlCodec.toTerm(new ControlMessage.Heartbeat("a", 1));
        Map<Term, Term> withUnknownAtom = new LinkedHashMap<>(heartbeat.entries());
        withUnknownAtom.put(ErlInteger.of(99), ErlAtom.of(UNKNOWN_ATOM));
        cases.add(new Case("unknown atom", EtfEncoder.encode(ErlMap.of(withUnknownAtom)), 2, null));
        Map<Term, Term> missingKey = new LinkedHashMap<>(heartbeat.entries());
        missingKey.remove(ErlInteger.of(11));
        cases.add(new Case("heartbeat without key 11", EtfEncoder.encode(ErlMap.of(missingKey)), 1, null));
        ErlTuple msg = ForwardedMessageTest.qos1Props().toTerm();
        Term[] nine = msg.elements().subList(0, 9).toArray(new Term[0]);
        cases.add(new Case("9-tuple message", EtfEncoder.encode(ErlTuple.of(nine)), 1, null));
        cases.add(new Case(
                "message with binary flags",
                EtfEncoder.encode(with(msg, 4, ErlMap.of(EmqxAtoms.DUP, ErlBinary.utf8("no")))),
                1,
                null));
    }

    private void addControl(String name, ControlMessage m) {
        cases.add(new Case(name + " (plain)", ControlCodec.encode(m), 0, m));
        cases.add(new Case(name + " (compressed)", ControlCodec.encodeCompressed(m), 0, m));
    }

    private void addMessage(String name, ForwardedMessage m) {
        cases.add(new Case(name + " (plain)", m.encode(), 0, m));
        cases.add(new Case(name + " (compressed)", m.encodeCompressed(), 0, m));
    }

    private static ErlTuple with(ErlTuple t, int index, Term value) {
        Term[] els = t.elements().toArray(new Term[0]);
        els[index] = value;
        return ErlTuple.of(els);
    }

    private void readOutput(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
        int n = in.readInt();
        assertThat(n).isEqualTo(cases.size());
        for (int i = 0; i < n; i++) {
            int status = in.readUnsignedByte();
            byte[] first = frame(in);
            verdicts.add(new Verdict(status, first, status == 0 ? frame(in) : null));
        }
        int r = in.readInt();
        for (int i = 0; i < r; i++) {
            String name = new String(frame(in), StandardCharsets.UTF_8);
            reverse.put(name, new byte[][] {frame(in), frame(in), frame(in), frame(in)});
        }
        assertThat(in.available()).isZero();
    }

    private static byte[] frame(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }

    @Test
    void erlang_javaPayloadsOfEveryType_decodeSafelyWithEmqxShape() {
        requireErlang();
        assertThat(cases.stream().filter(c -> c.expectedStatus == 0)).hasSizeGreaterThan(2 * RANDOM_CASES);
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            Verdict v = verdicts.get(i);
            assertThat(v.status)
                    .as("%s: Erlang said %s", c.name, new String(v.first, StandardCharsets.UTF_8))
                    .isEqualTo(c.expectedStatus);
        }
    }

    @Test
    void erlang_reencodingJavaTerms_givesJavaPlainBytesExactly() throws ProtocolException {
        requireErlang();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            Verdict v = verdicts.get(i);
            if (c.typed == null || c.expectedStatus != 0) {
                continue;
            }
            byte[] javaPlain = c.typed instanceof ControlMessage
                    ? ControlCodec.encode((ControlMessage) c.typed)
                    : ((ForwardedMessage) c.typed).encode();
            assertThat(v.first).as(c.name).isEqualTo(javaPlain);
            // erts compresses exactly where Java does.
            assertThat(v.compressed[1] == 80).as(c.name).isEqualTo(EtfEncoder.compress(javaPlain)[1] == 80);
        }
    }

    @Test
    void java_ertsEncodingsOfJavaMessages_decodeToTheSameTypedMessage() throws ProtocolException {
        requireErlang();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            Verdict v = verdicts.get(i);
            if (c.typed == null) {
                continue;
            }
            for (byte[] erts : new byte[][] {v.first, v.compressed}) {
                Object back = c.typed instanceof ControlMessage
                        ? ControlCodec.decode(decoder, erts)
                        : ForwardedMessage.decode(decoder, erts);
                assertThat(back).as(c.name).isEqualTo(c.typed);
            }
        }
    }

    @Test
    void java_termsBuiltByErlang_decodeInAllFourEncodings() throws ProtocolException {
        requireErlang();
        assertThat(reverse).hasSize(10);
        for (Map.Entry<String, byte[][]> e : reverse.entrySet()) {
            byte[][] forms = e.getValue();
            Term t = decoder.decode(forms[1]);
            for (byte[] form : forms) {
                assertThat(decoder.decode(form)).as(e.getKey()).isEqualTo(t);
            }
            if (!e.getKey().equals("generic_big_map")) {
                // erts writes maps over 32 keys in hash order; everything else re-encodes byte for byte.
                assertThat(EtfEncoder.encode(t)).as(e.getKey()).isEqualTo(forms[1]);
            }
            assertThat(EtfEncoder.encode(decoder.decode(EtfEncoder.encode(t)))).isEqualTo(EtfEncoder.encode(t));
        }
        assertThat(forms("message_ipv6_large")[3][1]).isEqualTo((byte) 80);
    }

    @Test
    void java_erlangMessages_readAsTypedMessages() throws Exception {
        requireErlang();
        ForwardedMessage props = ForwardedMessage.decode(decoder, forms("message_props")[0]);
        assertThat(props.headers().username()).isEqualTo("bob");
        assertThat(props.headers().peerhost()).isEqualTo(InetAddress.getByName("192.168.1.2"));
        assertThat(props.headers().protoVer()).isEqualTo(4);
        assertThat(props.headers().properties().userProperties())
                .containsExactly(new UserProperty("k", "v"), new UserProperty("k", "v2"));
        assertThat(props.headers().properties().messageExpiryInterval()).isEqualTo(60L);
        assertThat(props.headers().properties().contentType()).isEqualTo("text/plain");
        assertThat(props.from()).isEqualTo("erl-client");
        assertThat(props.timestamp()).isEqualTo(1722945600999L);

        ForwardedMessage v6 = ForwardedMessage.decode(decoder, forms("message_ipv6_large")[3]);
        assertThat(v6.headers().peerhost()).isEqualTo(InetAddress.getByName("2001:db8::1"));
        assertThat(v6.payload().remaining()).isEqualTo(1500);

        ForwardedMessage opaque = ForwardedMessage.decode(decoder, forms("message_opaque_headers")[0]);
        ErlMap headers = opaque.headers().toTerm();
        assertThat(((ErlOpaque) headers.get(ErlBinary.utf8("pid"))).kind()).isEqualTo(ErlOpaque.Kind.PID);
        assertThat(((ErlOpaque) headers.get(ErlBinary.utf8("ref"))).kind()).isEqualTo(ErlOpaque.Kind.REFERENCE);
        assertThat(((ErlOpaque) headers.get(ErlBinary.utf8("fun"))).kind()).isEqualTo(ErlOpaque.Kind.FUN);
        assertThat(((ErlOpaque) headers.get(ErlBinary.utf8("local_fun"))).kind())
                .isEqualTo(ErlOpaque.Kind.FUN);
        assertThat(((ErlOpaque) headers.get(ErlBinary.utf8("port"))).kind()).isEqualTo(ErlOpaque.Kind.PORT);
        // Kept byte for byte: the whole message re-encodes to erts's own bytes.
        assertThat(opaque.encode()).isEqualTo(forms("message_opaque_headers")[1]);

        ForwardedMessage iolist = ForwardedMessage.decode(decoder, forms("message_iolist_payload")[1]);
        assertThat(StandardCharsets.UTF_8.decode(iolist.payload()).toString()).isEqualTo("iolist!");

        assertThat(ControlCodec.decode(decoder, forms("route_from_erlang")[0]))
                .isEqualTo(new ControlMessage.RouteBatch(
                        "emqx@host",
                        1L << 40,
                        List.of(
                                ControlMessage.RouteOp.add("a/+", "a/+"),
                                ControlMessage.RouteOp.delete("b/#", "$s/g/b/#"))));
        assertThat(ControlCodec.decode(decoder, forms("ack_from_erlang")[2]))
                .isEqualTo(new ControlMessage.ActorInitAck(
                        "ps-routes-v1", 1, new ControlMessage.Rejected(ControlMessage.Rejected.UNKNOWN_CLUSTER)));
    }

    @Test
    void judge_createsEveryAtomClinkWrites_andNoUnknownOne() throws IOException {
        String script;
        try (InputStream in = getClass().getResourceAsStream("/erlang/clink_cross_check.escript")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher list = Pattern.compile("emqx_atoms\\(\\) ->\\s*\\[(.*?)\\]\\.", Pattern.DOTALL)
                .matcher(script);
        assertThat(list.find()).isTrue();
        Set<String> judged = new TreeSet<>();
        Matcher quoted = Pattern.compile("\"([^\"]+)\"").matcher(list.group(1));
        while (quoted.find()) {
            judged.add(quoted.group(1));
        }
        Set<String> written =
                EmqxAtoms.KNOWN.stream().map(ErlAtom::name).collect(Collectors.toCollection(TreeSet::new));
        assertThat(judged).isEqualTo(written);
        assertThat(script).doesNotContain(UNKNOWN_ATOM);
    }

    private void requireErlang() {
        assumeTrue(skipReason == null, () -> skipReason);
    }

    private byte[][] forms(String name) {
        byte[][] f = reverse.get(name);
        assertThat(f).as("reverse term %s", name).isNotNull();
        return f;
    }
}
