package io.clink.core.internal.etf;

import static io.clink.core.internal.etf.EtfTags.*;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;

/**
 * Encodes terms exactly as erts's {@code term_to_binary(T, [{minor_version, 2}])} does (the OTP 26+ default): UTF-8
 * atom tags only, the smallest integer tag, {@code STRING_EXT} for short lists of bytes, and small maps (up to 32
 * keys) with keys in Erlang term order. Larger maps are also written in term order; erts would use its internal
 * hash order there, so those bytes differ from erts's while decoding to the same term.
 *
 * <p>Two-pass and copy-free by design, for the per-publish hot path: {@code xxxSize} methods give the exact encoded
 * size, so the caller allocates once (a {@code byte[]}, a heap or a direct {@link ByteBuffer}) and the
 * {@code write...} methods fill it. The primitives are public so protocol messages can be written straight from
 * their fields without building a {@link Term} first. Writers throw {@link java.nio.BufferOverflowException} if
 * the buffer is smaller than the size said; that is a caller bug, never an input problem.
 *
 * <p>Thread-safe: the only state is a per-thread deflater for compressed output.
 */
public final class EtfEncoder {
    /** erts writes maps up to this many keys as flat maps with sorted keys. */
    public static final int SMALL_MAP_LIMIT = 32;
    /** zlib level of erts's {@code compressed} option. */
    public static final int COMPRESSION_LEVEL = 6;

    private static final int MAX_STRING_EXT = 0xffff;

    /**
     * One deflater per thread, reset between uses: creating one costs a native zlib stream allocation, which made
     * compressed encoding of small messages about 100 times slower than plain encoding.
     */
    private static final ThreadLocal<Deflater> DEFLATERS =
            ThreadLocal.withInitial(() -> new Deflater(COMPRESSION_LEVEL));

    private EtfEncoder() {}

    /**
     * Encodes a term with the version byte into a new array of exactly the right size.
     *
     * @param term the term
     * @return the payload
     */
    public static byte[] encode(Term term) {
        byte[] out = new byte[encodedSize(term)];
        encode(term, ByteBuffer.wrap(out));
        return out;
    }

    /**
     * Encodes a term and compresses it where that is not larger, as {@code term_to_binary(T, [compressed])} does.
     *
     * @param term the term
     * @return the payload, compressed or plain
     */
    public static byte[] encodeCompressed(Term term) {
        return compress(encode(term));
    }

    /**
     * Returns the size of {@link #encode(Term)}'s output.
     *
     * @param term the term
     * @return bytes, version byte included
     */
    public static int encodedSize(Term term) {
        return 1 + termSize(term);
    }

    /**
     * Writes the version byte and the term at the buffer's position.
     *
     * @param term the term
     * @param out a buffer with at least {@link #encodedSize(Term)} bytes left
     */
    public static void encode(Term term, ByteBuffer out) {
        writeVersion(out);
        writeTerm(term, out);
    }

    /**
     * Writes the version byte 131.
     *
     * @param out the buffer
     */
    public static void writeVersion(ByteBuffer out) {
        out.put((byte) VERSION);
    }

    /**
     * Returns the encoded size of a term without the version byte.
     *
     * @param term the term
     * @return bytes
     */
    public static int termSize(Term term) {
        if (term instanceof ErlAtom) {
            return atomSize((ErlAtom) term);
        } else if (term instanceof ErlBinary) {
            return binarySize(((ErlBinary) term).length());
        } else if (term instanceof ErlInteger) {
            return integerSize(((ErlInteger) term).value());
        } else if (term instanceof ErlMap) {
            int size = 5;
            for (Map.Entry<Term, Term> e : ((ErlMap) term).entries().entrySet()) {
                size += termSize(e.getKey()) + termSize(e.getValue());
            }
            return size;
        } else if (term instanceof ErlTuple) {
            ErlTuple t = (ErlTuple) term;
            int size = tupleHeaderSize(t.arity());
            for (int i = 0; i < t.arity(); i++) {
                size += termSize(t.get(i));
            }
            return size;
        } else if (term instanceof ErlList) {
            ErlList l = (ErlList) term;
            if (l.isNil()) {
                return 1;
            }
            if (isByteString(l)) {
                return 3 + l.elements().size();
            }
            int size = 5;
            for (Term e : l.elements()) {
                size += termSize(e);
            }
            Term tail = l.tail();
            return size + (tail == null ? 1 : termSize(tail));
        } else if (term instanceof ErlFloat) {
            return 9;
        } else if (term instanceof ErlBigInteger) {
            int n = magnitudeBytes(((ErlBigInteger) term).value().abs());
            return (n <= 255 ? 3 : 6) + n;
        }
        return ((ErlOpaque) term).length();
    }

    /**
     * Writes a term without the version byte.
     *
     * @param term the term
     * @param out a buffer with at least {@link #termSize(Term)} bytes left
     */
    public static void writeTerm(Term term, ByteBuffer out) {
        if (term instanceof ErlAtom) {
            writeAtom(out, (ErlAtom) term);
        } else if (term instanceof ErlBinary) {
            writeBinary(out, (ErlBinary) term);
        } else if (term instanceof ErlInteger) {
            writeInteger(out, ((ErlInteger) term).value());
        } else if (term instanceof ErlMap) {
            ErlMap m = (ErlMap) term;
            writeMapHeader(out, m.size());
            if (m.size() <= 2) {
                // The common small cases (flags, one-key headers) without allocating a sorted copy.
                java.util.Iterator<Map.Entry<Term, Term>> it =
                        m.entries().entrySet().iterator();
                if (it.hasNext()) {
                    Map.Entry<Term, Term> a = it.next();
                    Map.Entry<Term, Term> b = it.hasNext() ? it.next() : null;
                    if (b != null && TermOrder.INSTANCE.compare(a.getKey(), b.getKey()) > 0) {
                        Map.Entry<Term, Term> t = a;
                        a = b;
                        b = t;
                    }
                    writeTerm(a.getKey(), out);
                    writeTerm(a.getValue(), out);
                    if (b != null) {
                        writeTerm(b.getKey(), out);
                        writeTerm(b.getValue(), out);
                    }
                }
            } else {
                for (Map.Entry<Term, Term> e : TermOrder.sortedEntries(m)) {
                    writeTerm(e.getKey(), out);
                    writeTerm(e.getValue(), out);
                }
            }
        } else if (term instanceof ErlTuple) {
            ErlTuple t = (ErlTuple) term;
            writeTupleHeader(out, t.arity());
            for (int i = 0; i < t.arity(); i++) {
                writeTerm(t.get(i), out);
            }
        } else if (term instanceof ErlList) {
            writeList(out, (ErlList) term);
        } else if (term instanceof ErlFloat) {
            out.put((byte) NEW_FLOAT);
            out.putLong(Double.doubleToRawLongBits(((ErlFloat) term).value()));
        } else if (term instanceof ErlBigInteger) {
            writeBig(out, ((ErlBigInteger) term).value());
        } else {
            out.put(((ErlOpaque) term).rawBytes());
        }
    }

    private static void writeList(ByteBuffer out, ErlList l) {
        if (l.isNil()) {
            writeNil(out);
            return;
        }
        List<Term> elements = l.elements();
        if (isByteString(l)) {
            out.put((byte) STRING);
            out.putShort((short) elements.size());
            for (Term e : elements) {
                out.put((byte) ((ErlInteger) e).value());
            }
            return;
        }
        writeListHeader(out, elements.size());
        for (Term e : elements) {
            writeTerm(e, out);
        }
        Term tail = l.tail();
        if (tail == null) {
            writeNil(out);
        } else {
            writeTerm(tail, out);
        }
    }

    private static boolean isByteString(ErlList l) {
        if (l.tail() != null || l.elements().size() > MAX_STRING_EXT) {
            return false;
        }
        for (Term e : l.elements()) {
            if (!(e instanceof ErlInteger) || ((ErlInteger) e).value() < 0 || ((ErlInteger) e).value() > 255) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns the encoded size of an atom.
     *
     * @param atom the atom
     * @return bytes
     */
    public static int atomSize(ErlAtom atom) {
        int n = atom.utf8Length();
        return (n <= 255 ? 2 : 3) + n;
    }

    /**
     * Writes an atom with a UTF-8 tag (119, or 118 when its text exceeds 255 bytes).
     *
     * @param out the buffer
     * @param atom the atom
     */
    public static void writeAtom(ByteBuffer out, ErlAtom atom) {
        byte[] utf8 = atom.utf8();
        if (utf8.length <= 255) {
            out.put((byte) SMALL_ATOM_UTF8);
            out.put((byte) utf8.length);
        } else {
            out.put((byte) ATOM_UTF8);
            out.putShort((short) utf8.length);
        }
        out.put(utf8);
    }

    /**
     * Returns the encoded size of a binary of the given length.
     *
     * @param length bytes of content
     * @return bytes
     */
    public static int binarySize(int length) {
        return 5 + length;
    }

    /**
     * Writes a binary.
     *
     * @param out the buffer
     * @param binary the binary
     */
    public static void writeBinary(ByteBuffer out, ErlBinary binary) {
        writeBinaryHeader(out, binary.length());
        binary.copyTo(out);
    }

    /**
     * Writes the remaining bytes of a buffer as a binary, without changing the source's position.
     *
     * @param out the buffer
     * @param content the content
     */
    public static void writeBinary(ByteBuffer out, ByteBuffer content) {
        writeBinaryHeader(out, content.remaining());
        out.put(content.duplicate());
    }

    /**
     * Writes a binary from an array range.
     *
     * @param out the buffer
     * @param content the array
     * @param offset start of the range
     * @param length length of the range
     */
    public static void writeBinary(ByteBuffer out, byte[] content, int offset, int length) {
        writeBinaryHeader(out, length);
        out.put(content, offset, length);
    }

    /**
     * Writes the header of a binary; the caller writes exactly {@code length} bytes next.
     *
     * @param out the buffer
     * @param length bytes of content
     */
    public static void writeBinaryHeader(ByteBuffer out, int length) {
        out.put((byte) BINARY);
        out.putInt(length);
    }

    /**
     * Returns the encoded size of an integer.
     *
     * @param value the value
     * @return bytes
     */
    public static int integerSize(long value) {
        if (value >= 0 && value <= 255) {
            return 2;
        }
        if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            return 5;
        }
        return 3 + magnitudeBytes(value);
    }

    /**
     * Writes an integer with the smallest tag: SMALL_INTEGER, INTEGER or SMALL_BIG.
     *
     * @param out the buffer
     * @param value the value
     */
    public static void writeInteger(ByteBuffer out, long value) {
        if (value >= 0 && value <= 255) {
            out.put((byte) SMALL_INTEGER);
            out.put((byte) value);
        } else if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            out.put((byte) INTEGER);
            out.putInt((int) value);
        } else {
            int n = magnitudeBytes(value);
            out.put((byte) SMALL_BIG);
            out.put((byte) n);
            out.put((byte) (value < 0 ? 1 : 0));
            // Math.abs(Long.MIN_VALUE) stays negative, but its bits are the unsigned magnitude 2^63 anyway.
            long mag = value < 0 ? -value : value;
            for (int i = 0; i < n; i++) {
                out.put((byte) (mag >>> (8 * i)));
            }
        }
    }

    private static int magnitudeBytes(long value) {
        long mag = value < 0 ? -value : value;
        return (64 - Long.numberOfLeadingZeros(mag) + 7) / 8;
    }

    private static int magnitudeBytes(BigInteger magnitude) {
        return (magnitude.bitLength() + 7) / 8;
    }

    private static void writeBig(ByteBuffer out, BigInteger value) {
        BigInteger mag = value.abs();
        int n = magnitudeBytes(mag);
        if (n <= 255) {
            out.put((byte) SMALL_BIG);
            out.put((byte) n);
        } else {
            out.put((byte) LARGE_BIG);
            out.putInt(n);
        }
        out.put((byte) (value.signum() < 0 ? 1 : 0));
        byte[] be = mag.toByteArray();
        // toByteArray may carry a leading zero sign byte; write the n low bytes little-endian.
        for (int i = 0; i < n; i++) {
            out.put(be[be.length - 1 - i]);
        }
    }

    /**
     * Returns the size of a tuple header.
     *
     * @param arity the number of elements
     * @return bytes
     */
    public static int tupleHeaderSize(int arity) {
        return arity <= 255 ? 2 : 5;
    }

    /**
     * Writes a tuple header; the caller writes exactly {@code arity} terms next.
     *
     * @param out the buffer
     * @param arity the number of elements
     */
    public static void writeTupleHeader(ByteBuffer out, int arity) {
        if (arity <= 255) {
            out.put((byte) SMALL_TUPLE);
            out.put((byte) arity);
        } else {
            out.put((byte) LARGE_TUPLE);
            out.putInt(arity);
        }
    }

    /**
     * Writes a map header (5 bytes); the caller writes exactly {@code size} key/value pairs next, keys in term
     * order for byte-exact erts output.
     *
     * @param out the buffer
     * @param size the number of entries
     */
    public static void writeMapHeader(ByteBuffer out, int size) {
        out.put((byte) MAP);
        out.putInt(size);
    }

    /**
     * Writes a LIST_EXT header (5 bytes); the caller writes {@code length} terms and then a tail ({@link
     * #writeNil(ByteBuffer)} for a proper list). Not for empty lists, which are just NIL.
     *
     * @param out the buffer
     * @param length the number of elements, at least 1
     */
    public static void writeListHeader(ByteBuffer out, int length) {
        out.put((byte) LIST);
        out.putInt(length);
    }

    /**
     * Writes {@code []}.
     *
     * @param out the buffer
     */
    public static void writeNil(ByteBuffer out) {
        out.put((byte) NIL);
    }

    /**
     * Compresses an encoded payload as erts's {@code compressed} option does: zlib level 6 under the tag-80 header,
     * kept only when the result is not larger than the plain payload (erts's rule, checked against a real runtime).
     *
     * @param plain a payload starting with the version byte
     * @return a new compressed payload, or {@code plain} itself when compression does not pay
     */
    public static byte[] compress(byte[] plain) {
        if (plain.length < 2 || (plain[0] & 0xff) != VERSION) {
            throw new IllegalArgumentException("not an encoded payload: it must start with the version byte 131");
        }
        int termLength = plain.length - 1;
        // Compressed output must fit in plain.length bytes: 6 header bytes plus the zlib stream.
        int budget = plain.length - 6;
        if (budget <= 0) {
            return plain;
        }
        byte[] out = new byte[plain.length + 1];
        Deflater deflater = DEFLATERS.get();
        deflater.reset();
        try {
            deflater.setInput(plain, 1, termLength);
            deflater.finish();
            int n = deflater.deflate(out, 6, budget + 1);
            if (!deflater.finished() || n > budget) {
                return plain;
            }
            out[0] = (byte) VERSION;
            out[1] = (byte) COMPRESSED;
            out[2] = (byte) (termLength >>> 24);
            out[3] = (byte) (termLength >>> 16);
            out[4] = (byte) (termLength >>> 8);
            out[5] = (byte) termLength;
            return java.util.Arrays.copyOf(out, 6 + n);
        } finally {
            // Leave it clean for the next use on this thread; reset() keeps the native stream for reuse.
            deflater.reset();
        }
    }
}
