package io.clink.core.internal.etf;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the Erlang term text that {@code io_lib:format("~p.~n", [T])} prints, as in the golden {@code .term} files.
 * The text is read as ISO-8859-1: erts writes each character below 256 of a printed string as one byte, so every
 * character inside a quoted binary is one byte of the binary.
 */
final class ErlangTermParser {
    private final String s;
    private int pos;

    private ErlangTermParser(String s) {
        this.s = s;
    }

    static Term parse(String text) {
        ErlangTermParser p = new ErlangTermParser(text);
        Term t = p.term();
        p.skipSpace();
        if (p.pos < p.s.length() && p.s.charAt(p.pos) == '.') {
            p.pos++;
        }
        p.skipSpace();
        if (p.pos != p.s.length()) {
            throw p.fail("trailing text");
        }
        return t;
    }

    private IllegalArgumentException fail(String what) {
        int from = Math.max(0, pos - 20);
        return new IllegalArgumentException(
                what + " at " + pos + " near '" + s.substring(from, Math.min(s.length(), pos + 20)) + "'");
    }

    private void skipSpace() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
    }

    private boolean peek(String token) {
        skipSpace();
        return s.startsWith(token, pos);
    }

    private void expect(String token) {
        if (!peek(token)) {
            throw fail("expected '" + token + "'");
        }
        pos += token.length();
    }

    private Term term() {
        skipSpace();
        if (pos >= s.length()) {
            throw fail("unexpected end");
        }
        char c = s.charAt(pos);
        if (peek("#{")) {
            pos += 2;
            Map<Term, Term> m = new LinkedHashMap<>();
            if (!peek("}")) {
                do {
                    Term k = term();
                    expect("=>");
                    Term v = term();
                    if (m.put(k, v) != null) {
                        throw fail("duplicate key");
                    }
                } while (tryConsume(","));
            }
            expect("}");
            return ErlMap.of(m);
        } else if (c == '{') {
            pos++;
            List<Term> els = elements("}");
            return ErlTuple.of(els.toArray(new Term[0]));
        } else if (c == '[') {
            pos++;
            List<Term> els = new ArrayList<>();
            Term tail = ErlList.NIL;
            if (!peek("]")) {
                do {
                    els.add(term());
                } while (tryConsume(","));
                if (tryConsume("|")) {
                    tail = term();
                }
            }
            expect("]");
            return ErlList.improper(els, tail);
        } else if (peek("<<")) {
            pos += 2;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!peek(">>")) {
                do {
                    skipSpace();
                    if (s.charAt(pos) == '"') {
                        for (char ch : string().toCharArray()) {
                            out.write(ch);
                        }
                    } else {
                        out.write(Integer.parseInt(number()));
                    }
                } while (tryConsume(","));
            }
            expect(">>");
            return ErlBinary.wrap(out.toByteArray());
        } else if (c == '"') {
            List<Term> chars = new ArrayList<>();
            for (char ch : string().toCharArray()) {
                chars.add(ErlInteger.of(ch));
            }
            return ErlList.of(chars);
        } else if (c == '\'') {
            return ErlAtom.of(quoted('\''));
        } else if (c == '-' || Character.isDigit(c)) {
            String n = number();
            if (n.contains(".") || n.contains("e")) {
                return ErlFloat.of(Double.parseDouble(n));
            }
            return ErlBigInteger.integer(new BigInteger(n));
        } else if (Character.isLowerCase(c)) {
            int start = pos;
            while (pos < s.length()
                    && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_' || s.charAt(pos) == '@')) {
                pos++;
            }
            return ErlAtom.of(s.substring(start, pos));
        }
        throw fail("unexpected character");
    }

    private boolean tryConsume(String token) {
        if (peek(token)) {
            pos += token.length();
            return true;
        }
        return false;
    }

    private List<Term> elements(String close) {
        List<Term> els = new ArrayList<>();
        if (!peek(close)) {
            do {
                els.add(term());
            } while (tryConsume(","));
        }
        expect(close);
        return els;
    }

    private String number() {
        skipSpace();
        int start = pos;
        if (s.charAt(pos) == '-') {
            pos++;
        }
        while (pos < s.length()
                && (Character.isDigit(s.charAt(pos))
                        || s.charAt(pos) == '.'
                        || s.charAt(pos) == 'e'
                        || (s.charAt(pos) == '-' && s.charAt(pos - 1) == 'e')
                        || (s.charAt(pos) == '+' && s.charAt(pos - 1) == 'e'))) {
            pos++;
        }
        return s.substring(start, pos);
    }

    private String string() {
        return quoted('"');
    }

    private String quoted(char q) {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= s.length()) {
                throw fail("unterminated quote");
            }
            char c = s.charAt(pos++);
            if (c == q) {
                return sb.toString();
            }
            if (c == '\\') {
                char e = s.charAt(pos++);
                switch (e) {
                    case 'n':
                        sb.append('\n');
                        break;
                    case 't':
                        sb.append('\t');
                        break;
                    case 'r':
                        sb.append('\r');
                        break;
                    case 'e':
                        sb.append((char) 27);
                        break;
                    case 'b':
                        sb.append('\b');
                        break;
                    case 'f':
                        sb.append('\f');
                        break;
                    case 'v':
                        sb.append((char) 11);
                        break;
                    case 's':
                        sb.append(' ');
                        break;
                    case 'd':
                        sb.append((char) 127);
                        break;
                    default:
                        sb.append(e);
                }
            } else {
                sb.append(c);
            }
        }
    }
}
