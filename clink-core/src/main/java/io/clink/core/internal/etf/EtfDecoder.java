package io.clink.core.internal.etf;

import static io.clink.core.internal.etf.EtfTags.*;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Decodes untrusted ETF bytes ({@code binary_to_term/2} for the protocol's subset) into {@link Term}s.
 *
 * <p>Invariants, which every path keeps so hostile input costs bounded time and memory and nothing but
 * {@link ProtocolException} ever comes out:
 * <ul>
 *   <li>No length is trusted: every size or count read from the input is checked against the bytes actually left
 *       (each element needs at least one byte) before anything is allocated, so a declared 4 GiB count fails at
 *       once. Allocation is proportional to the input actually present.</li>
 *   <li>Nesting of tuples, lists, maps and funs is bounded ({@link EtfLimits#maxDepth()}), so the recursive descent
 *       cannot overflow the stack.</li>
 *   <li>A compressed payload's declared size is checked against {@link EtfLimits#maxInflatedBytes()} first, and the
 *       output buffer grows only as inflation really produces bytes, never past the declared size: a zip bomb stops
 *       one byte after the size it claimed.</li>
 *   <li>The term must use up the input exactly; trailing bytes are an error, as in {@code binary_to_term}.</li>
 *   <li>Binaries are views into the input (or into the inflated buffer): no copy, so callers must not modify the
 *       input array while decoded terms are in use.</li>
 * </ul>
 *
 * <p>Thread safety: instances are immutable and may be shared; each call uses its own state. Decoded atoms are
 * shared through one bounded, lock-free cache for the process ({@link AtomCache}), and compressed payloads are
 * inflated with one reused inflater per thread.
 */
public final class EtfDecoder {
    private static final Pattern FLOAT_TEXT = Pattern.compile("\\s*[+-]?\\d+(\\.\\d*)?([eE][+-]?\\d+)?");
    private static final int MAX_REFERENCE_WORDS = 5;

    private final EtfLimits limits;

    /**
     * Creates a decoder.
     *
     * @param limits the bounds to enforce
     */
    public EtfDecoder(EtfLimits limits) {
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
    }

    /**
     * Returns a decoder with the default limits.
     *
     * @return the decoder
     */
    public static EtfDecoder withDefaults() {
        return new EtfDecoder(EtfLimits.defaults());
    }

    /**
     * Decodes a whole payload: version byte, optional compression, one term, nothing after it.
     *
     * @param data the payload; must not be modified while the result is in use
     * @return the term
     * @throws ProtocolException if the bytes are not one valid term within the limits
     */
    public Term decode(byte[] data) throws ProtocolException {
        return decode(data, 0, data.length);
    }

    /**
     * Decodes the remaining bytes of a buffer (its position is not changed). A heap buffer is read in place; other
     * buffers are copied once.
     *
     * @param data the payload
     * @return the term
     * @throws ProtocolException if the bytes are not one valid term within the limits
     */
    public Term decode(ByteBuffer data) throws ProtocolException {
        if (data.hasArray() && !data.isReadOnly()) {
            return decode(data.array(), data.arrayOffset() + data.position(), data.remaining());
        }
        if (data.remaining() > limits.maxPayloadBytes()) {
            throw tooLarge(data.remaining());
        }
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        return decode(copy);
    }

    /**
     * Decodes a range of an array.
     *
     * @param data the array; the range must not be modified while the result is in use
     * @param offset where the payload starts
     * @param length the payload length
     * @return the term
     * @throws ProtocolException if the bytes are not one valid term within the limits; offsets in its message count
     *     from {@code offset}
     */
    public Term decode(byte[] data, int offset, int length) throws ProtocolException {
        java.util.Objects.checkFromIndexSize(offset, length, data.length);
        if (length > limits.maxPayloadBytes()) {
            throw tooLarge(length);
        }
        if (length < 2) {
            throw new ProtocolException(
                    length,
                    "payload of " + length
                            + " bytes is too short: a term needs the version byte 131 and at least one tag byte");
        }
        int version = data[offset] & 0xff;
        if (version != VERSION) {
            throw new ProtocolException(0, "expected the version byte 131, found " + version);
        }
        if ((data[offset + 1] & 0xff) == COMPRESSED) {
            byte[] inflated = CompressedTerm.inflate(data, offset, length, limits.maxInflatedBytes());
            return new Reader(inflated, 0, 0, inflated.length, true).whole();
        }
        return new Reader(data, offset, offset + 1, offset + length, false).whole();
    }

    private ProtocolException tooLarge(int length) {
        return new ProtocolException(
                0, "payload of " + length + " bytes exceeds the limit of " + limits.maxPayloadBytes() + " bytes");
    }

    /** One decoding pass over a byte range; not thread-safe, never shared. */
    private final class Reader {
        private final byte[] buf;
        private final int end;
        private final boolean inflated;
        /** Where offset 0 is for error messages: the payload's version byte, or the inflated data's start. */
        private final int base;

        private int pos;

        Reader(byte[] buf, int base, int start, int end, boolean inflated) {
            this.buf = buf;
            this.base = base;
            this.pos = start;
            this.end = end;
            this.inflated = inflated;
        }

        Term whole() throws ProtocolException {
            Term t = term(0);
            if (pos != end) {
                throw error(pos, (end - pos) + " trailing bytes after the term");
            }
            return t;
        }

        private ProtocolException error(int at, String message) {
            return new ProtocolException(at - base, inflated ? message + " (offset into the inflated data)" : message);
        }

        private int remaining() {
            return end - pos;
        }

        private void need(int n, int tagAt, int tag) throws ProtocolException {
            if (n > end - pos) {
                throw error(tagAt, EtfTags.name(tag) + " needs " + n + " more bytes, only " + (end - pos) + " left");
            }
        }

        private int u8() {
            return buf[pos++] & 0xff;
        }

        private int u16() {
            int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
            pos += 2;
            return v;
        }

        private int s32() {
            int v = ((buf[pos] & 0xff) << 24)
                    | ((buf[pos + 1] & 0xff) << 16)
                    | ((buf[pos + 2] & 0xff) << 8)
                    | (buf[pos + 3] & 0xff);
            pos += 4;
            return v;
        }

        private long u32() {
            return s32() & 0xffffffffL;
        }

        /** Reads a 4-byte count and checks that {@code count * minBytesEach + extra} bytes are left. */
        private int count32(int tagAt, int tag, int minBytesEach, int extra, String what) throws ProtocolException {
            need(4, tagAt, tag);
            long count = u32();
            if (count * minBytesEach + extra > remaining()) {
                throw error(
                        tagAt,
                        EtfTags.name(tag) + " declares " + count + " " + what + ", but only " + remaining()
                                + " bytes are left");
            }
            return (int) count;
        }

        private int count(int count, int tagAt, int tag, int minBytesEach, String what) throws ProtocolException {
            if ((long) count * minBytesEach > remaining()) {
                throw error(
                        tagAt,
                        EtfTags.name(tag) + " declares " + count + " " + what + ", but only " + remaining()
                                + " bytes are left");
            }
            return count;
        }

        private void checkDepth(int depth, int tagAt, int tag) throws ProtocolException {
            if (depth >= limits.maxDepth()) {
                throw error(
                        tagAt, EtfTags.name(tag) + " nests deeper than the limit of " + limits.maxDepth() + " levels");
            }
        }

        Term term(int depth) throws ProtocolException {
            if (pos >= end) {
                throw error(pos, "input ends where a term was expected");
            }
            int at = pos;
            int tag = u8();
            switch (tag) {
                case SMALL_INTEGER:
                    need(1, at, tag);
                    return ErlInteger.of(u8());
                case INTEGER:
                    need(4, at, tag);
                    return ErlInteger.of(s32());
                case SMALL_BIG: {
                    need(1, at, tag);
                    return big(u8(), at, tag);
                }
                case LARGE_BIG: {
                    int n = count32(at, tag, 1, 1, "digit bytes");
                    return big(n, at, tag);
                }
                case NEW_FLOAT: {
                    need(8, at, tag);
                    long bits = ((long) s32() << 32) | (s32() & 0xffffffffL);
                    return finiteFloat(Double.longBitsToDouble(bits), at);
                }
                case FLOAT:
                    return oldFloat(at);
                case ATOM:
                case ATOM_UTF8: {
                    need(2, at, tag);
                    return atom(u16(), tag == ATOM_UTF8, at, tag);
                }
                case SMALL_ATOM:
                case SMALL_ATOM_UTF8: {
                    need(1, at, tag);
                    return atom(u8(), tag == SMALL_ATOM_UTF8, at, tag);
                }
                case BINARY: {
                    int len = count32(at, tag, 1, 0, "bytes");
                    ErlBinary b = ErlBinary.wrap(buf, pos, len);
                    pos += len;
                    return b;
                }
                case BIT_BINARY:
                    throw error(at, "BIT_BINARY_EXT (77): bitstrings that are not whole bytes are not supported");
                case SMALL_TUPLE: {
                    need(1, at, tag);
                    return tuple(count(u8(), at, tag, 1, "elements"), depth, at, tag);
                }
                case LARGE_TUPLE:
                    return tuple(count32(at, tag, 1, 0, "elements"), depth, at, tag);
                case NIL:
                    return ErlList.NIL;
                case STRING: {
                    need(2, at, tag);
                    int len = count(u16(), at, tag, 1, "bytes");
                    List<Term> chars = new ArrayList<>(len);
                    for (int i = 0; i < len; i++) {
                        chars.add(ErlInteger.of(u8()));
                    }
                    return ErlList.ofOwned(chars);
                }
                case LIST:
                    return list(depth, at, tag);
                case MAP:
                    return map(depth, at, tag);
                case PID:
                case NEW_PID:
                    return nodeTerm(ErlOpaque.Kind.PID, tag, 0, tag == PID ? 9 : 12, depth, at);
                case PORT:
                case NEW_PORT:
                case V4_PORT:
                    return nodeTerm(ErlOpaque.Kind.PORT, tag, 0, tag == PORT ? 5 : tag == NEW_PORT ? 8 : 12, depth, at);
                case REFERENCE:
                    return nodeTerm(ErlOpaque.Kind.REFERENCE, tag, 0, 5, depth, at);
                case NEW_REFERENCE:
                case NEWER_REFERENCE: {
                    need(2, at, tag);
                    int words = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
                    if (words > MAX_REFERENCE_WORDS) {
                        throw error(
                                at,
                                EtfTags.name(tag) + " has " + words + " id words, at most " + MAX_REFERENCE_WORDS
                                        + " allowed");
                    }
                    return nodeTerm(
                            ErlOpaque.Kind.REFERENCE, tag, 2, (tag == NEW_REFERENCE ? 1 : 4) + 4 * words, depth, at);
                }
                case EXPORT: {
                    checkDepth(depth, at, tag);
                    ErlAtom module = expectAtom(depth, at, tag, "module");
                    ErlAtom function = expectAtom(depth, at, tag, "function");
                    Term arity = term(depth + 1);
                    if (!(arity instanceof ErlInteger)) {
                        throw error(at, "EXPORT_EXT (113) arity must be an integer, found " + arity);
                    }
                    ByteBuffer out = ByteBuffer.allocate(1
                            + EtfEncoder.atomSize(module)
                            + EtfEncoder.atomSize(function)
                            + EtfEncoder.termSize(arity));
                    out.put((byte) tag);
                    EtfEncoder.writeAtom(out, module);
                    EtfEncoder.writeAtom(out, function);
                    EtfEncoder.writeTerm(arity, out);
                    return new ErlOpaque(ErlOpaque.Kind.FUN, out.array());
                }
                case NEW_FUN:
                    return newFun(depth, at, tag);
                default:
                    throw error(
                            at,
                            "unsupported tag " + EtfTags.name(tag) + "; expected one of the protocol's"
                                    + " term tags (70, 97-100, 104-111, 115-116, 118-119, or a pid/port/reference/fun)");
            }
        }

        private Term big(int n, int at, int tag) throws ProtocolException {
            need(1 + n, at, tag);
            int sign = u8();
            if (sign > 1) {
                throw error(at, EtfTags.name(tag) + " sign byte must be 0 or 1, found " + sign);
            }
            if (n <= 8) {
                long mag = 0;
                for (int i = 0; i < n; i++) {
                    mag |= (buf[pos + i] & 0xffL) << (8 * i);
                }
                pos += n;
                if (mag >= 0) {
                    return ErlInteger.of(sign == 0 ? mag : -mag);
                }
                if (sign == 1 && mag == Long.MIN_VALUE) {
                    return ErlInteger.of(Long.MIN_VALUE);
                }
                BigInteger m = new BigInteger(1, new byte[] {
                    (byte) (mag >>> 56), (byte) (mag >>> 48), (byte) (mag >>> 40), (byte) (mag >>> 32),
                    (byte) (mag >>> 24), (byte) (mag >>> 16), (byte) (mag >>> 8), (byte) mag
                });
                return ErlBigInteger.integer(sign == 0 ? m : m.negate());
            }
            byte[] be = new byte[n];
            for (int i = 0; i < n; i++) {
                be[n - 1 - i] = buf[pos + i];
            }
            pos += n;
            BigInteger m = new BigInteger(1, be);
            return ErlBigInteger.integer(sign == 0 ? m : m.negate());
        }

        private Term finiteFloat(double v, int at) throws ProtocolException {
            if (!Double.isFinite(v)) {
                throw error(at, "float " + v + " is not finite; Erlang floats are always finite");
            }
            return ErlFloat.of(v);
        }

        private Term oldFloat(int at) throws ProtocolException {
            need(31, at, FLOAT);
            int len = 0;
            while (len < 31 && buf[pos + len] != 0) {
                len++;
            }
            String text = new String(buf, pos, len, StandardCharsets.ISO_8859_1);
            pos += 31;
            if (!FLOAT_TEXT.matcher(text).matches()) {
                throw error(at, "FLOAT_EXT (99) text is not a decimal number: \"" + text + "\"");
            }
            return finiteFloat(Double.parseDouble(text.trim()), at);
        }

        private ErlAtom atom(int len, boolean utf8, int at, int tag) throws ProtocolException {
            need(len, at, tag);
            int from = pos;
            int to = pos + len;
            // A Latin-1 atom has the same bytes as its UTF-8 form only when it is ASCII; only then may it be looked
            // up by its bytes (Latin-1 "\u00c3\u00a9" and UTF-8 "\u00e9" share theirs).
            boolean cacheable = utf8 || isAscii(from, to);
            int hash = cacheable ? AtomCache.hash(buf, from, to) : 0;
            if (cacheable) {
                ErlAtom cached = AtomCache.get(buf, from, to, hash);
                if (cached != null) {
                    pos = to;
                    return cached;
                }
            }
            String name;
            if (utf8) {
                name = Utf8.decodeOrNull(buf, from, to);
                if (name == null) {
                    throw error(at, EtfTags.name(tag) + " text is not valid UTF-8");
                }
            } else {
                name = new String(buf, from, len, StandardCharsets.ISO_8859_1);
            }
            if (name.codePointCount(0, name.length()) > ErlAtom.MAX_CHARS) {
                throw error(
                        at,
                        EtfTags.name(tag) + " has more than " + ErlAtom.MAX_CHARS + " characters, Erlang's atom limit");
            }
            pos = to;
            ErlAtom atom = ErlAtom.of(name);
            if (cacheable) {
                AtomCache.put(atom, hash);
            }
            return atom;
        }

        private boolean isAscii(int from, int to) {
            for (int i = from; i < to; i++) {
                if (buf[i] < 0) {
                    return false;
                }
            }
            return true;
        }

        private Term tuple(int arity, int depth, int at, int tag) throws ProtocolException {
            if (arity > 0) {
                checkDepth(depth, at, tag);
            }
            Term[] elements = new Term[arity];
            for (int i = 0; i < arity; i++) {
                elements[i] = term(depth + 1);
            }
            return ErlTuple.ofOwned(elements);
        }

        private Term list(int depth, int at, int tag) throws ProtocolException {
            int len = count32(at, tag, 1, 1, "elements");
            checkDepth(depth, at, tag);
            List<Term> elements = new ArrayList<>(Math.min(len, 1024));
            for (int i = 0; i < len; i++) {
                elements.add(term(depth + 1));
            }
            Term tail = term(depth + 1);
            if (len == 0) {
                // erts never writes this, but it is well-formed: [] ++ Tail is just the tail.
                return tail;
            }
            if (tail == ErlList.NIL) {
                // A proper list, the usual case: the elements are already canonical, nothing to fold or copy.
                return ErlList.ofOwned(elements);
            }
            return ErlList.ofOwned(elements, tail);
        }

        private Term map(int depth, int at, int tag) throws ProtocolException {
            int arity = count32(at, tag, 2, 0, "entries");
            if (arity == 0) {
                return ErlMap.EMPTY;
            }
            checkDepth(depth, at, tag);
            if (arity <= SmallMap.MAX_SIZE) {
                Term[] keysAndValues = new Term[2 * arity];
                for (int i = 0; i < arity; i++) {
                    int keyAt = pos;
                    Term key = term(depth + 1);
                    if (SmallMap.indexOf(keysAndValues, i, key) >= 0) {
                        throw error(keyAt, "MAP_EXT (116) has the key " + key + " twice");
                    }
                    keysAndValues[2 * i] = key;
                    keysAndValues[2 * i + 1] = term(depth + 1);
                }
                return ErlMap.ofOwned(new SmallMap(keysAndValues));
            }
            LinkedHashMap<Term, Term> entries = new LinkedHashMap<>(Math.min(arity, 64) * 2);
            for (int i = 0; i < arity; i++) {
                int keyAt = pos;
                Term key = term(depth + 1);
                Term value = term(depth + 1);
                if (entries.putIfAbsent(key, value) != null) {
                    throw error(keyAt, "MAP_EXT (116) has the key " + key + " twice");
                }
            }
            return ErlMap.ofOwned(entries);
        }

        /**
         * A pid, port or reference: a header of {@code headLength} raw bytes, the node atom, {@code tailLength} raw
         * bytes. Kept with the atom re-written in its UTF-8 form, so the same term read from OTP 25's Latin-1
         * encoding and from the UTF-8 one is equal, and re-encodes exactly as erts with minor_version 2 does.
         */
        private Term nodeTerm(ErlOpaque.Kind kind, int tag, int headLength, int tailLength, int depth, int at)
                throws ProtocolException {
            need(headLength, at, tag);
            int headAt = pos;
            pos += headLength;
            ErlAtom node = expectAtom(depth, at, tag, "node");
            need(tailLength, at, tag);
            ByteBuffer out = ByteBuffer.allocate(1 + headLength + EtfEncoder.atomSize(node) + tailLength);
            out.put((byte) tag);
            out.put(buf, headAt, headLength);
            EtfEncoder.writeAtom(out, node);
            out.put(buf, pos, tailLength);
            pos += tailLength;
            return new ErlOpaque(kind, out.array());
        }

        private ErlAtom expectAtom(int depth, int at, int tag, String what) throws ProtocolException {
            if (pos >= end) {
                throw error(at, EtfTags.name(tag) + " ends before its " + what + " atom");
            }
            int atomTag = buf[pos] & 0xff;
            if (atomTag != ATOM && atomTag != SMALL_ATOM && atomTag != ATOM_UTF8 && atomTag != SMALL_ATOM_UTF8) {
                throw error(
                        pos,
                        EtfTags.name(tag) + " expects an atom for its " + what + ", found " + EtfTags.name(atomTag));
            }
            return (ErlAtom) term(depth);
        }

        private Term newFun(int depth, int at, int tag) throws ProtocolException {
            checkDepth(depth, at, tag);
            // Size(4) Arity(1) Uniq(16) Index(4) NumFree(4), then Module, OldIndex, OldUniq, Pid, free variables.
            need(29, at, tag);
            long size = u32();
            int fixedAt = pos;
            pos += 1 + 16 + 4;
            long numFree = u32();
            if (numFree > remaining()) {
                throw error(
                        at,
                        "NEW_FUN_EXT (112) declares " + numFree + " free variables, but only " + remaining()
                                + " bytes are left");
            }
            ErlAtom module = expectAtom(depth, at, tag, "module");
            Term oldIndex = term(depth + 1);
            Term oldUniq = term(depth + 1);
            if (!(oldIndex instanceof ErlInteger) || !(oldUniq instanceof ErlInteger)) {
                throw error(at, "NEW_FUN_EXT (112) OldIndex and OldUniq must be integers");
            }
            Term pid = term(depth + 1);
            if (!(pid instanceof ErlOpaque) || ((ErlOpaque) pid).kind() != ErlOpaque.Kind.PID) {
                throw error(at, "NEW_FUN_EXT (112) expects a pid, found " + pid);
            }
            List<Term> free = new ArrayList<>((int) Math.min(numFree, 64));
            for (long i = 0; i < numFree; i++) {
                free.add(term(depth + 1));
            }
            if (size != pos - at - 1) {
                throw error(at, "NEW_FUN_EXT (112) declares " + size + " bytes but its fields take " + (pos - at - 1));
            }
            // Re-written in canonical form (UTF-8 atoms), with Size recomputed to match.
            int length = 1
                    + 4
                    + 25
                    + EtfEncoder.atomSize(module)
                    + EtfEncoder.termSize(oldIndex)
                    + EtfEncoder.termSize(oldUniq)
                    + EtfEncoder.termSize(pid);
            for (Term t : free) {
                length += EtfEncoder.termSize(t);
            }
            ByteBuffer out = ByteBuffer.allocate(length);
            out.put((byte) tag);
            out.putInt(length - 1);
            out.put(buf, fixedAt, 25);
            EtfEncoder.writeAtom(out, module);
            EtfEncoder.writeTerm(oldIndex, out);
            EtfEncoder.writeTerm(oldUniq, out);
            EtfEncoder.writeTerm(pid, out);
            for (Term t : free) {
                EtfEncoder.writeTerm(t, out);
            }
            return new ErlOpaque(ErlOpaque.Kind.FUN, out.array());
        }
    }
}
