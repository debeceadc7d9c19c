package io.clink.core.internal.etf;

import java.util.Map;
import java.util.regex.Pattern;

/** Prints terms in Erlang syntax for diagnostics; long binaries and lists are cut short. */
final class TermPrinter {
    private static final Pattern PLAIN_ATOM = Pattern.compile("[a-z][a-zA-Z0-9_@]*");
    private static final int MAX_BINARY = 64;
    private static final int MAX_ELEMENTS = 32;
    /** Error messages quote terms from hostile input; keep them short whatever the term's size. */
    private static final int MAX_CHARS = 1024;

    private TermPrinter() {}

    static String print(Term term) {
        StringBuilder sb = new StringBuilder();
        print(term, sb);
        if (sb.length() > MAX_CHARS + 3) {
            sb.setLength(MAX_CHARS);
            sb.append("...");
        }
        return sb.toString();
    }

    private static void print(Term t, StringBuilder sb) {
        if (sb.length() > MAX_CHARS) {
            if (!sb.toString().endsWith("...")) {
                sb.append("...");
            }
            return;
        }
        if (t instanceof ErlAtom) {
            String name = ((ErlAtom) t).name();
            if (PLAIN_ATOM.matcher(name).matches()) {
                sb.append(name);
            } else {
                sb.append('\'')
                        .append(name.replace("\\", "\\\\").replace("'", "\\'"))
                        .append('\'');
            }
        } else if (t instanceof ErlBinary) {
            printBinary((ErlBinary) t, sb);
        } else if (t instanceof ErlTuple) {
            ErlTuple tuple = (ErlTuple) t;
            sb.append('{');
            for (int i = 0; i < tuple.arity(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                if (i == MAX_ELEMENTS) {
                    sb.append("...");
                    break;
                }
                print(tuple.get(i), sb);
            }
            sb.append('}');
        } else if (t instanceof ErlList) {
            ErlList list = (ErlList) t;
            sb.append('[');
            int i = 0;
            for (Term e : list.elements()) {
                if (i > 0) {
                    sb.append(',');
                }
                if (i++ == MAX_ELEMENTS) {
                    sb.append("...");
                    break;
                }
                print(e, sb);
            }
            Term tail = list.tail();
            if (tail != null) {
                sb.append('|');
                print(tail, sb);
            }
            sb.append(']');
        } else if (t instanceof ErlMap) {
            sb.append("#{");
            int i = 0;
            for (Map.Entry<Term, Term> e : ((ErlMap) t).entries().entrySet()) {
                if (i > 0) {
                    sb.append(',');
                }
                if (i++ == MAX_ELEMENTS) {
                    sb.append("...");
                    break;
                }
                print(e.getKey(), sb);
                sb.append(" => ");
                print(e.getValue(), sb);
            }
            sb.append('}');
        } else if (t instanceof ErlBigInteger) {
            java.math.BigInteger v = ((ErlBigInteger) t).value();
            // toString of a hostile multi-megabyte bignum would take minutes.
            sb.append(v.bitLength() > 512 ? "#BigInteger<" + v.bitLength() + " bits>" : v.toString());
        } else if (t instanceof ErlOpaque) {
            sb.append("#Opaque<")
                    .append(((ErlOpaque) t).kind())
                    .append(',')
                    .append(((ErlOpaque) t).length())
                    .append(" bytes>");
        } else {
            sb.append(t);
        }
    }

    private static void printBinary(ErlBinary b, StringBuilder sb) {
        int n = Math.min(b.length(), MAX_BINARY);
        boolean printable = true;
        for (int i = 0; i < n; i++) {
            int c = b.byteAt(i) & 0xff;
            if (c < 0x20 || c > 0x7e) {
                printable = false;
                break;
            }
        }
        sb.append("<<");
        if (printable && n > 0) {
            sb.append('"');
            for (int i = 0; i < n; i++) {
                char c = (char) (b.byteAt(i) & 0xff);
                if (c == '"' || c == '\\') {
                    sb.append('\\');
                }
                sb.append(c);
            }
            sb.append('"');
        } else {
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(b.byteAt(i) & 0xff);
            }
        }
        if (b.length() > n) {
            sb.append(",...");
        }
        sb.append(">>");
    }
}
