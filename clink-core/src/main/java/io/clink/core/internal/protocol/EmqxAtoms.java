package io.clink.core.internal.protocol;

import io.clink.core.internal.etf.ErlAtom;
import io.clink.core.internal.etf.ErlList;
import io.clink.core.internal.etf.ErlMap;
import io.clink.core.internal.etf.ErlOpaque;
import io.clink.core.internal.etf.ErlTuple;
import io.clink.core.internal.etf.Term;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The atoms clink may write. EMQX decodes every payload with {@code binary_to_term(Bin, [safe])}, which fails on an
 * atom the receiving node has never created; a forwarded message with such an atom is then silently lost (protocol
 * section 3.7). So clink writes only atoms that every EMQX node has from boot: Erlang's own, the MQTT 5 property
 * names of {@code emqx_mqtt_props}, and the record, flag and header names of {@code emqx_message}.
 */
public final class EmqxAtoms {
    public static final ErlAtom OP = ErlAtom.of("$op");
    public static final ErlAtom MESSAGE = ErlAtom.of("message");
    public static final ErlAtom DUP = ErlAtom.of("dup");
    public static final ErlAtom RETAIN = ErlAtom.of("retain");
    public static final ErlAtom SYS = ErlAtom.of("sys");
    public static final ErlAtom PROPERTIES = ErlAtom.of("properties");
    public static final ErlAtom USERNAME = ErlAtom.of("username");
    public static final ErlAtom PEERHOST = ErlAtom.of("peerhost");
    public static final ErlAtom PEERNAME = ErlAtom.of("peername");
    public static final ErlAtom PROTO_VER = ErlAtom.of("proto_ver");
    public static final ErlAtom PROTOCOL = ErlAtom.of("protocol");
    public static final ErlAtom CLIENT_ATTRS = ErlAtom.of("client_attrs");
    public static final ErlAtom MQTT = ErlAtom.of("mqtt");
    public static final ErlAtom USER_PROPERTY = ErlAtom.of("User-Property");
    public static final ErlAtom MESSAGE_EXPIRY_INTERVAL = ErlAtom.of("Message-Expiry-Interval");
    public static final ErlAtom CONTENT_TYPE = ErlAtom.of("Content-Type");
    public static final ErlAtom RESPONSE_TOPIC = ErlAtom.of("Response-Topic");
    public static final ErlAtom CORRELATION_DATA = ErlAtom.of("Correlation-Data");
    public static final ErlAtom PAYLOAD_FORMAT_INDICATOR = ErlAtom.of("Payload-Format-Indicator");
    public static final ErlAtom TOPIC_ALIAS = ErlAtom.of("Topic-Alias");
    public static final ErlAtom SUBSCRIPTION_IDENTIFIER = ErlAtom.of("Subscription-Identifier");

    /** Every atom clink writes; the Erlang cross-check creates exactly these before its {@code [safe]} decode. */
    public static final Set<ErlAtom> KNOWN = Stream.of(
                    ErlAtom.OK,
                    ErlAtom.ERROR,
                    ErlAtom.TRUE,
                    ErlAtom.FALSE,
                    ErlAtom.UNDEFINED,
                    OP,
                    MESSAGE,
                    DUP,
                    RETAIN,
                    SYS,
                    PROPERTIES,
                    USERNAME,
                    PEERHOST,
                    PEERNAME,
                    PROTO_VER,
                    PROTOCOL,
                    CLIENT_ATTRS,
                    MQTT,
                    USER_PROPERTY,
                    MESSAGE_EXPIRY_INTERVAL,
                    CONTENT_TYPE,
                    RESPONSE_TOPIC,
                    CORRELATION_DATA,
                    PAYLOAD_FORMAT_INDICATOR,
                    TOPIC_ALIAS,
                    SUBSCRIPTION_IDENTIFIER)
            .collect(Collectors.toUnmodifiableSet());

    private EmqxAtoms() {}

    /**
     * Checks that a term holds only atoms from {@link #KNOWN}.
     *
     * @param term the term a caller wants clink to send
     * @param where what the term is, for the error message
     * @return the term
     * @throws IllegalArgumentException naming the first atom EMQX's safe decoder could refuse
     */
    public static Term requireKnownAtoms(Term term, String where) {
        if (term instanceof ErlAtom) {
            if (!KNOWN.contains(term)) {
                throw new IllegalArgumentException(where + " contains the atom " + term
                        + ", which an EMQX node may not have; binary_to_term(Bin, [safe]) would refuse the payload."
                        + " Use a binary instead, or one of " + KNOWN);
            }
        } else if (term instanceof ErlOpaque) {
            throw new IllegalArgumentException(where + " contains " + term
                    + "; pids, ports, references and funs carry node atoms and are never sent by clink");
        } else if (term instanceof ErlTuple) {
            for (Term e : ((ErlTuple) term).elements()) {
                requireKnownAtoms(e, where);
            }
        } else if (term instanceof ErlList) {
            for (Term e : ((ErlList) term).elements()) {
                requireKnownAtoms(e, where);
            }
            Term tail = ((ErlList) term).tail();
            if (tail != null) {
                requireKnownAtoms(tail, where);
            }
        } else if (term instanceof ErlMap) {
            for (Map.Entry<Term, Term> e : ((ErlMap) term).entries().entrySet()) {
                requireKnownAtoms(e.getKey(), where);
                requireKnownAtoms(e.getValue(), where);
            }
        }
        return term;
    }
}
