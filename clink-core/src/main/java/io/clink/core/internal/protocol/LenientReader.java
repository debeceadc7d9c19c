package io.clink.core.internal.protocol;

import io.clink.core.internal.etf.ErlAtom;
import io.clink.core.internal.etf.ErlBinary;
import io.clink.core.internal.etf.ErlInteger;
import io.clink.core.internal.etf.Term;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads the values of a headers or properties map the lenient way EMQX's metadata needs: an absent value reads as
 * null; a value of the wrong type or range also reads as null but is recorded as a {@link DroppedField}, never as an
 * error. One reader per map decoded; not thread-safe.
 */
final class LenientReader {
    /** Made on the first drop: most maps have nothing to drop, and one reader is made per map decoded. */
    private @Nullable List<DroppedField> dropped;

    /** Absent, or EMQX's {@code undefined}: both mean "no value", neither is a dropped one. */
    static boolean absent(@Nullable Term t) {
        return t == null || ErlAtom.UNDEFINED.equals(t);
    }

    static @Nullable String utf8OrNull(Term t) {
        return t instanceof ErlBinary ? ((ErlBinary) t).utf8OrNull() : null;
    }

    @Nullable
    String text(@Nullable Term t, DroppedField kind) {
        if (t == null) {
            return null;
        }
        return orDrop(utf8OrNull(t), kind);
    }

    @Nullable
    Long integer(@Nullable Term t, long min, long max, DroppedField kind) {
        if (t == null) {
            return null;
        }
        if (t instanceof ErlInteger && ((ErlInteger) t).value() >= min && ((ErlInteger) t).value() <= max) {
            return ((ErlInteger) t).value();
        }
        return orDrop(null, kind);
    }

    @Nullable
    ErlBinary binary(@Nullable Term t, DroppedField kind) {
        if (t == null) {
            return null;
        }
        return orDrop(t instanceof ErlBinary ? (ErlBinary) t : null, kind);
    }

    @Nullable
    InetAddress ipAddress(@Nullable Term t, DroppedField kind) {
        if (t == null) {
            return null;
        }
        return orDrop(IpTuples.addressOrNull(t), kind);
    }

    /** Returns the value, recording {@code kind} as dropped when it is null. */
    <T> @Nullable T orDrop(@Nullable T value, DroppedField kind) {
        if (value == null) {
            drop(kind);
        }
        return value;
    }

    void drop(DroppedField kind) {
        droppedList().add(kind);
    }

    void dropAll(List<DroppedField> kinds) {
        if (!kinds.isEmpty()) {
            droppedList().addAll(kinds);
        }
    }

    private List<DroppedField> droppedList() {
        List<DroppedField> d = dropped;
        if (d == null) {
            d = new ArrayList<>(2);
            dropped = d;
        }
        return d;
    }

    /** What was dropped so far, in reading order; unmodifiable. */
    List<DroppedField> dropped() {
        List<DroppedField> d = dropped;
        return d == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(d));
    }
}
