package io.clink.core.internal.protocol;

import io.clink.core.internal.etf.ErlAtom;
import io.clink.core.internal.etf.ErlMap;
import io.clink.core.internal.etf.ProtocolException;
import io.clink.core.internal.etf.Term;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** {@code #message.flags}: a map of atom keys to booleans, of which clink reads {@code dup} and {@code retain}. */
final class MessageFlags {
    /** A flag the builder leaves out, sets false or sets true: the index into {@link #SHARED}'s rows and columns. */
    static final int ABSENT = 0;

    static final int FALSE = 1;
    static final int TRUE = 2;

    /** The nine maps of dup and retain, shared: built once, not per publish. */
    private static final ErlMap[] SHARED = new ErlMap[9];

    static {
        @Nullable Term[] values = {null, ErlAtom.FALSE, ErlAtom.TRUE};
        for (int d = ABSENT; d <= TRUE; d++) {
            for (int r = ABSENT; r <= TRUE; r++) {
                Map<Term, Term> m = new LinkedHashMap<>();
                Term dup = values[d];
                if (dup != null) {
                    m.put(EmqxAtoms.DUP, dup);
                }
                Term retain = values[r];
                if (retain != null) {
                    m.put(EmqxAtoms.RETAIN, retain);
                }
                SHARED[3 * d + r] = ErlMap.of(m);
            }
        }
    }

    private MessageFlags() {}

    /** The shared map of these flags, each {@link #ABSENT}, {@link #FALSE} or {@link #TRUE}. */
    static ErlMap of(int dup, int retain) {
        return SHARED[3 * dup + retain];
    }

    static int of(boolean flag) {
        return flag ? TRUE : FALSE;
    }

    /** Whether the map says {@code key => true}; absent reads as false. */
    static boolean isSet(ErlMap flags, ErlAtom key) {
        return ErlAtom.TRUE.equals(flags.get(key));
    }

    /** The flags clink reads must be booleans; other keys are EMQX's business and kept as they are. */
    static void check(ErlMap flags) throws ProtocolException {
        // Looked up rather than iterated: iterating a decoded map makes an entry object per key.
        checkBoolean(flags, EmqxAtoms.DUP);
        checkBoolean(flags, EmqxAtoms.RETAIN);
    }

    private static void checkBoolean(ErlMap flags, ErlAtom key) throws ProtocolException {
        Term value = flags.get(key);
        if (value != null) {
            Fields.bool(value, "#message.flags." + key);
        }
    }
}
