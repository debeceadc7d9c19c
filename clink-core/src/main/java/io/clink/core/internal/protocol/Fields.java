package io.clink.core.internal.protocol;

import io.clink.core.internal.etf.ErlAtom;
import io.clink.core.internal.etf.ErlBinary;
import io.clink.core.internal.etf.ErlInteger;
import io.clink.core.internal.etf.ErlMap;
import io.clink.core.internal.etf.ProtocolException;
import io.clink.core.internal.etf.Term;

/** Shape checks shared by the message decoders; each failure names the field and what it expected. */
final class Fields {
    private Fields() {}

    static ErlMap map(Term t, String what) throws ProtocolException {
        if (!(t instanceof ErlMap)) {
            throw new ProtocolException(what + " must be a map, found " + t);
        }
        return (ErlMap) t;
    }

    static Term required(ErlMap map, Term key, String message, String what) throws ProtocolException {
        Term v = map.get(key);
        if (v == null) {
            throw new ProtocolException(message + " lacks the required key " + key + " (" + what + ")");
        }
        return v;
    }

    static ErlBinary binary(Term t, String what) throws ProtocolException {
        if (!(t instanceof ErlBinary)) {
            throw new ProtocolException(what + " must be a binary, found " + t);
        }
        return (ErlBinary) t;
    }

    static String utf8(Term t, String what) throws ProtocolException {
        ErlBinary b = binary(t, what);
        String s = b.utf8OrNull();
        if (s == null) {
            throw new ProtocolException(what + " must be UTF-8 text, found the bytes " + b);
        }
        return s;
    }

    static long integer(Term t, String what) throws ProtocolException {
        if (!(t instanceof ErlInteger)) {
            throw new ProtocolException(what + " must be an integer within 64 bits, found " + t);
        }
        return ((ErlInteger) t).value();
    }

    static long integer(Term t, String what, long min, long max) throws ProtocolException {
        long v = integer(t, what);
        if (v < min || v > max) {
            throw new ProtocolException(what + " must be between " + min + " and " + max + ", found " + v);
        }
        return v;
    }

    static boolean bool(Term t, String what) throws ProtocolException {
        if (ErlAtom.TRUE.equals(t)) {
            return true;
        }
        if (ErlAtom.FALSE.equals(t)) {
            return false;
        }
        throw new ProtocolException(what + " must be true or false, found " + t);
    }
}
