package io.clink.core.internal.etf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Erlang's exact term order, the order erts sorts the keys of small maps (up to 32 keys) in when it encodes them:
 * number &lt; atom &lt; reference &lt; fun &lt; port &lt; pid &lt; tuple &lt; map &lt; [] &lt; list &lt; binary.
 * Integers sort before floats (exact order, as for map keys). Opaque terms of one kind are ordered by their bytes,
 * which is deterministic but not erts's order; clink never uses them as keys.
 */
public final class TermOrder implements Comparator<Term> {
    /** The comparator. */
    public static final TermOrder INSTANCE = new TermOrder();

    private static final int NUMBER = 0;
    private static final int ATOM = 1;
    private static final int REFERENCE = 2;
    private static final int FUN = 3;
    private static final int PORT = 4;
    private static final int PID = 5;
    private static final int TUPLE = 6;
    private static final int MAP = 7;
    private static final int NIL = 8;
    private static final int LIST = 9;
    private static final int BINARY = 10;

    private TermOrder() {}

    @Override
    public int compare(Term a, Term b) {
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        switch (ra) {
            case NUMBER:
                return compareNumbers(a, b);
            case ATOM:
                return Arrays.compareUnsigned(((ErlAtom) a).utf8(), ((ErlAtom) b).utf8());
            case TUPLE:
                return compareTuples((ErlTuple) a, (ErlTuple) b);
            case MAP:
                return compareMaps((ErlMap) a, (ErlMap) b);
            case NIL:
                return 0;
            case LIST:
                return compareLists((ErlList) a, (ErlList) b);
            case BINARY:
                return ((ErlBinary) a).compareContent((ErlBinary) b);
            default:
                return Arrays.compareUnsigned(((ErlOpaque) a).rawBytes(), ((ErlOpaque) b).rawBytes());
        }
    }

    private static int rank(Term t) {
        if (t instanceof ErlInteger || t instanceof ErlBigInteger || t instanceof ErlFloat) {
            return NUMBER;
        } else if (t instanceof ErlAtom) {
            return ATOM;
        } else if (t instanceof ErlTuple) {
            return TUPLE;
        } else if (t instanceof ErlMap) {
            return MAP;
        } else if (t instanceof ErlList) {
            return ((ErlList) t).isNil() ? NIL : LIST;
        } else if (t instanceof ErlBinary) {
            return BINARY;
        }
        switch (((ErlOpaque) t).kind()) {
            case REFERENCE:
                return REFERENCE;
            case FUN:
                return FUN;
            case PORT:
                return PORT;
            default:
                return PID;
        }
    }

    private static int compareNumbers(Term a, Term b) {
        boolean fa = a instanceof ErlFloat;
        boolean fb = b instanceof ErlFloat;
        if (fa != fb) {
            return fa ? 1 : -1;
        }
        if (fa) {
            return Double.compare(((ErlFloat) a).value(), ((ErlFloat) b).value());
        }
        if (a instanceof ErlInteger && b instanceof ErlInteger) {
            return Long.compare(((ErlInteger) a).value(), ((ErlInteger) b).value());
        }
        return bigValue(a).compareTo(bigValue(b));
    }

    private static java.math.BigInteger bigValue(Term t) {
        return t instanceof ErlInteger
                ? java.math.BigInteger.valueOf(((ErlInteger) t).value())
                : ((ErlBigInteger) t).value();
    }

    private int compareTuples(ErlTuple a, ErlTuple b) {
        if (a.arity() != b.arity()) {
            return Integer.compare(a.arity(), b.arity());
        }
        for (int i = 0; i < a.arity(); i++) {
            int c = compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private int compareMaps(ErlMap a, ErlMap b) {
        if (a.size() != b.size()) {
            return Integer.compare(a.size(), b.size());
        }
        List<Map.Entry<Term, Term>> ea = sortedEntries(a);
        List<Map.Entry<Term, Term>> eb = sortedEntries(b);
        for (int i = 0; i < ea.size(); i++) {
            int c = compare(ea.get(i).getKey(), eb.get(i).getKey());
            if (c != 0) {
                return c;
            }
        }
        for (int i = 0; i < ea.size(); i++) {
            int c = compare(ea.get(i).getValue(), eb.get(i).getValue());
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /**
     * Returns a map's entries sorted by key in term order.
     *
     * @param map the map
     * @return a new list
     */
    public static List<Map.Entry<Term, Term>> sortedEntries(ErlMap map) {
        List<Map.Entry<Term, Term>> entries = new ArrayList<>(map.entries().entrySet());
        entries.sort(Map.Entry.comparingByKey(INSTANCE));
        return entries;
    }

    private int compareLists(ErlList a, ErlList b) {
        List<Term> xa = a.elements();
        List<Term> xb = b.elements();
        int n = Math.min(xa.size(), xb.size());
        for (int i = 0; i < n; i++) {
            int c = compare(xa.get(i), xb.get(i));
            if (c != 0) {
                return c;
            }
        }
        // After the common prefix each side continues with a cons (more elements), its tail, or [] (proper end).
        // A tail is never a non-empty list (ErlList folds those in), so a cons and a tail never tie on rank.
        boolean consA = xa.size() > n;
        boolean consB = xb.size() > n;
        if (consA) {
            return consB ? 0 : Integer.compare(LIST, rank(rest(b)));
        }
        if (consB) {
            return Integer.compare(rank(rest(a)), LIST);
        }
        return compare(rest(a), rest(b));
    }

    private static Term rest(ErlList l) {
        Term tail = l.tail();
        return tail == null ? ErlList.NIL : tail;
    }
}
