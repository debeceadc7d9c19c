package io.clink.core.internal.protocol;

import io.clink.core.internal.etf.ErlAtom;
import io.clink.core.internal.etf.ErlBinary;
import io.clink.core.internal.etf.ErlInteger;
import io.clink.core.internal.etf.ErlList;
import io.clink.core.internal.etf.ErlMap;
import io.clink.core.internal.etf.ErlTuple;
import io.clink.core.internal.etf.EtfDecoder;
import io.clink.core.internal.etf.EtfEncoder;
import io.clink.core.internal.etf.ProtocolException;
import io.clink.core.internal.etf.Term;
import io.clink.core.internal.protocol.ControlMessage.Accepted;
import io.clink.core.internal.protocol.ControlMessage.ActorInit;
import io.clink.core.internal.protocol.ControlMessage.ActorInitAck;
import io.clink.core.internal.protocol.ControlMessage.Heartbeat;
import io.clink.core.internal.protocol.ControlMessage.Rejected;
import io.clink.core.internal.protocol.ControlMessage.RouteBatch;
import io.clink.core.internal.protocol.ControlMessage.RouteOp;
import io.clink.core.internal.route.RouteId;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Encodes and decodes {@link ControlMessage}s as the maps of protocol sections 3.2 to 3.6.
 *
 * <p>Decoding matches maps partially, as EMQX does: unknown keys are ignored (a newer peer may add some), missing
 * required keys and wrong value types are a {@link ProtocolException} naming the key. The exception is one element
 * of a route batch's operation list: an element that cannot be read as an operation is left out and counted in
 * {@link RouteBatch#skipped()} rather than failing the batch. Route ids are kept as opaque bytes. Encoding writes
 * only atoms from {@link EmqxAtoms#KNOWN}. Stateless and thread-safe.
 */
public final class ControlCodec {
    static final ErlInteger KEY_ACTOR = ErlInteger.of(10);
    static final ErlInteger KEY_INCARNATION = ErlInteger.of(11);
    static final ErlInteger KEY_ROUTES = ErlInteger.of(12);
    static final ErlInteger KEY_TARGET_CLUSTER = ErlInteger.of(13);
    static final ErlInteger KEY_PROTO_VER = ErlInteger.of(14);
    static final ErlInteger KEY_RESULT = ErlInteger.of(15);
    static final ErlInteger KEY_NEED_BOOTSTRAP = ErlInteger.of(16);
    static final ErlInteger ROUTE_DELETE = ErlInteger.of(100);

    static final String OP_ACTOR_INIT = "actor_init";
    static final String OP_ACTOR_INIT_ACK = "actor_init_ack";
    static final String OP_ROUTE = "route";
    static final String OP_HEARTBEAT = "heartbeat";

    private ControlCodec() {}

    /**
     * Encodes a message as a plain ETF payload ({@code term_to_binary(T)}, what EMQX before 6.0.3 sends).
     *
     * @param message the message
     * @return the payload
     */
    public static byte[] encode(ControlMessage message) {
        return EtfEncoder.encode(toTerm(message));
    }

    /**
     * Encodes a message compressed where that pays ({@code term_to_binary(T, [compressed])}, what EMQX 6.0.3+
     * sends). Every EMQX 5.8+ receiver reads both forms.
     *
     * @param message the message
     * @return the payload
     */
    public static byte[] encodeCompressed(ControlMessage message) {
        return EtfEncoder.encodeCompressed(toTerm(message));
    }

    /**
     * Decodes a payload.
     *
     * @param decoder the decoder, with its limits
     * @param payload the payload, plain or compressed
     * @return the message
     * @throws ProtocolException if the bytes are not a term, or the term is not a control message
     */
    public static ControlMessage decode(EtfDecoder decoder, byte[] payload) throws ProtocolException {
        return fromTerm(decoder.decode(payload));
    }

    /**
     * Builds the term EMQX expects for a message.
     *
     * @param message the message
     * @return the map term
     */
    public static ErlMap toTerm(ControlMessage message) {
        if (message instanceof ActorInit) {
            ActorInit m = (ActorInit) message;
            return control(
                    OP_ACTOR_INIT,
                    m.actor(),
                    KEY_PROTO_VER,
                    ErlInteger.of(m.protocolVersion()),
                    KEY_TARGET_CLUSTER,
                    ErlBinary.utf8(m.targetCluster()),
                    KEY_INCARNATION,
                    ErlInteger.of(m.incarnation()));
        } else if (message instanceof ActorInitAck) {
            ActorInitAck m = (ActorInitAck) message;
            Term result;
            Term needBootstrap;
            if (m.result() instanceof Accepted) {
                result = ErlAtom.OK;
                needBootstrap = ErlAtom.of(((Accepted) m.result()).needBootstrap());
            } else {
                // A binary reason, never an atom, so the peer's safe decode cannot refuse it.
                result = ErlTuple.of(ErlAtom.ERROR, ErlBinary.utf8(((Rejected) m.result()).reason()));
                needBootstrap = ErlAtom.UNDEFINED;
            }
            return control(
                    OP_ACTOR_INIT_ACK,
                    m.actor(),
                    KEY_PROTO_VER,
                    ErlInteger.of(m.protocolVersion()),
                    KEY_RESULT,
                    result,
                    KEY_NEED_BOOTSTRAP,
                    needBootstrap);
        } else if (message instanceof RouteBatch) {
            RouteBatch m = (RouteBatch) message;
            List<Term> ops = new ArrayList<>(m.ops().size());
            for (RouteOp op : m.ops()) {
                ErlBinary id = ErlBinary.wrap(op.routeId().toByteArray());
                ops.add(
                        op.delete()
                                ? ErlTuple.of(ROUTE_DELETE, ErlBinary.utf8(op.filter()), id)
                                : ErlTuple.of(ErlBinary.utf8(op.filter()), id));
            }
            return control(
                    OP_ROUTE, m.actor(), KEY_INCARNATION, ErlInteger.of(m.incarnation()), KEY_ROUTES, ErlList.of(ops));
        } else {
            Heartbeat m = (Heartbeat) message;
            return control(OP_HEARTBEAT, m.actor(), KEY_INCARNATION, ErlInteger.of(m.incarnation()));
        }
    }

    /** Every control message carries its {@code '$op'} and the actor; the rest are the op's own keys and values. */
    private static ErlMap control(String op, String actor, Term... keysAndValues) {
        Term[] all = new Term[4 + keysAndValues.length];
        all[0] = EmqxAtoms.OP;
        all[1] = ErlBinary.utf8(op);
        all[2] = KEY_ACTOR;
        all[3] = ErlBinary.utf8(actor);
        System.arraycopy(keysAndValues, 0, all, 4, keysAndValues.length);
        return ErlMap.of(all);
    }

    /**
     * Reads a control message from a decoded term.
     *
     * @param term the term
     * @return the message
     * @throws ProtocolException if the term is not a map with a known {@code '$op'} and its required keys
     */
    public static ControlMessage fromTerm(Term term) throws ProtocolException {
        ErlMap map = Fields.map(term, "a control message");
        Term opTerm = map.get(EmqxAtoms.OP);
        if (opTerm == null) {
            throw new ProtocolException("control message lacks the required key '$op'; found the keys "
                    + map.entries().keySet());
        }
        String op = Fields.utf8(opTerm, "'$op'");
        switch (op) {
            case OP_ACTOR_INIT: {
                String what = "actor_init";
                return new ActorInit(
                        actor(map, what),
                        incarnation(map, what),
                        Fields.utf8(
                                Fields.required(map, KEY_TARGET_CLUSTER, what, "target cluster"),
                                "key 13 (target cluster)"),
                        protoVer(map, what));
            }
            case OP_ACTOR_INIT_ACK: {
                String what = "actor_init_ack";
                String actor = actor(map, what);
                long protoVer = protoVer(map, what);
                Term result = Fields.required(map, KEY_RESULT, what, "result");
                Term needBootstrap = Fields.required(map, KEY_NEED_BOOTSTRAP, what, "need bootstrap");
                if (ErlAtom.OK.equals(result)) {
                    return new ActorInitAck(
                            actor, protoVer, new Accepted(Fields.bool(needBootstrap, "key 16 (need bootstrap)")));
                }
                if (result instanceof ErlTuple
                        && ((ErlTuple) result).arity() == 2
                        && ErlAtom.ERROR.equals(((ErlTuple) result).get(0))) {
                    // Key 16 is undefined since 5.8.11 and false before; neither carries meaning in a rejection.
                    return new ActorInitAck(
                            actor,
                            protoVer,
                            new Rejected(Fields.utf8(((ErlTuple) result).get(1), "key 15 error reason")));
                }
                throw new ProtocolException(
                        "actor_init_ack key 15 (result) must be ok or {error, Reason}, found " + result);
            }
            case OP_ROUTE: {
                String what = "route";
                String actor = actor(map, what);
                long incarnation = incarnation(map, what);
                Term routes = Fields.required(map, KEY_ROUTES, what, "route operations");
                if (!(routes instanceof ErlList) || !((ErlList) routes).isProper()) {
                    throw new ProtocolException("route key 12 must be a proper list of operations, found " + routes);
                }
                List<Term> elements = ((ErlList) routes).elements();
                List<RouteOp> ops = new ArrayList<>(elements.size());
                int skipped = 0;
                @Nullable String firstSkipped = null;
                for (int i = 0; i < elements.size(); i++) {
                    try {
                        ops.add(routeOp(elements.get(i), i));
                    } catch (ProtocolException e) {
                        // One unreadable op must not cost the batch: EMQX would resend it forever (issue 12).
                        if (skipped++ == 0) {
                            firstSkipped = e.getMessage();
                        }
                    }
                }
                return new RouteBatch(actor, incarnation, ops, skipped, firstSkipped);
            }
            case OP_HEARTBEAT: {
                String what = "heartbeat";
                return new Heartbeat(actor(map, what), incarnation(map, what));
            }
            default:
                throw new ProtocolException(
                        "unknown '$op' \"" + op + "\"; expected actor_init, actor_init_ack, route or heartbeat");
        }
    }

    private static String actor(ErlMap map, String what) throws ProtocolException {
        return Fields.utf8(Fields.required(map, KEY_ACTOR, what, "actor"), "key 10 (actor)");
    }

    private static long incarnation(ErlMap map, String what) throws ProtocolException {
        return Fields.integer(Fields.required(map, KEY_INCARNATION, what, "incarnation"), "key 11 (incarnation)");
    }

    private static long protoVer(ErlMap map, String what) throws ProtocolException {
        return Fields.integer(
                Fields.required(map, KEY_PROTO_VER, what, "protocol version"), "key 14 (protocol version)");
    }

    /**
     * Any binary: EMQX does not validate the client ids that durable-session route ids carry. The error text is
     * built only on failure, as this runs for every operation of a batch.
     */
    private static RouteId routeId(Term t, int index) throws ProtocolException {
        if (!(t instanceof ErlBinary)) {
            throw new ProtocolException("route op " + index + " route id must be a binary, found " + t);
        }
        return RouteId.wrap(((ErlBinary) t).toByteArray());
    }

    private static String filter(Term t, int index) throws ProtocolException {
        String s = t instanceof ErlBinary ? ((ErlBinary) t).utf8OrNull() : null;
        return s != null ? s : Fields.utf8(t, "route op " + index + " filter");
    }

    private static RouteOp routeOp(Term t, int index) throws ProtocolException {
        if (t instanceof ErlTuple) {
            ErlTuple op = (ErlTuple) t;
            if (op.arity() == 2) {
                return new RouteOp(false, filter(op.get(0), index), routeId(op.get(1), index));
            }
            if (op.arity() == 3 && ROUTE_DELETE.equals(op.get(0))) {
                return new RouteOp(true, filter(op.get(1), index), routeId(op.get(2), index));
            }
        }
        throw new ProtocolException(
                "route op " + index + " must be {Filter, RouteId} or {100, Filter, RouteId}, " + "found " + t);
    }
}
