package io.clink.core.internal.etf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * An Erlang binary: a read-only view of a byte range. Decoded binaries are views into the decoder's input (no copy),
 * so the input array must not be modified while a decoded term is in use; {@link #wrap(byte[])} likewise takes the
 * caller's array without copying. Equality is by content.
 */
public final class ErlBinary implements Term {
    public static final ErlBinary EMPTY = new ErlBinary(new byte[0], 0, 0);

    private final byte[] array;
    private final int offset;
    private final int length;

    private ErlBinary(byte[] array, int offset, int length) {
        this.array = array;
        this.offset = offset;
        this.length = length;
    }

    /**
     * Wraps an array without copying; the caller must not modify it afterwards.
     *
     * @param bytes the content
     * @return the binary
     */
    public static ErlBinary wrap(byte[] bytes) {
        return new ErlBinary(bytes, 0, bytes.length);
    }

    /**
     * Wraps a range of an array without copying; the caller must not modify it afterwards.
     *
     * @param bytes the array
     * @param offset the start of the range
     * @param length the length of the range
     * @return the binary
     * @throws IndexOutOfBoundsException if the range is outside the array
     */
    public static ErlBinary wrap(byte[] bytes, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        return new ErlBinary(bytes, offset, length);
    }

    /**
     * Copies the remaining bytes of a buffer (its position is not changed).
     *
     * @param buffer the content
     * @return the binary
     */
    public static ErlBinary copyOf(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return wrap(copy);
    }

    /**
     * Returns the UTF-8 encoding of a string as a binary.
     *
     * @param text the text
     * @return the binary
     */
    public static ErlBinary utf8(String text) {
        return wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Returns the length in bytes.
     *
     * @return the length
     */
    public int length() {
        return length;
    }

    /**
     * Returns one byte.
     *
     * @param index the index, from 0
     * @return the byte
     * @throws IndexOutOfBoundsException if the index is outside the binary
     */
    public byte byteAt(int index) {
        java.util.Objects.checkIndex(index, length);
        return array[offset + index];
    }

    /**
     * Returns the index of the first occurrence of a byte.
     *
     * @param b the byte to look for
     * @return its index from 0, or -1 if the binary does not hold it
     */
    public int indexOf(byte b) {
        for (int i = 0; i < length; i++) {
            if (array[offset + i] == b) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Returns a copy of the content.
     *
     * @return a new array
     */
    public byte[] toByteArray() {
        return Arrays.copyOfRange(array, offset, offset + length);
    }

    /**
     * Returns a read-only buffer over the content, without copying.
     *
     * @return the buffer, positioned at the first byte
     */
    public ByteBuffer asReadOnlyByteBuffer() {
        return ByteBuffer.wrap(array, offset, length).slice().asReadOnlyBuffer();
    }

    /**
     * Decodes the content as strict UTF-8.
     *
     * @return the text, or {@code null} if the content is not valid UTF-8
     */
    public @Nullable String utf8OrNull() {
        return Utf8.decodeOrNull(array, offset, offset + length);
    }

    void copyTo(ByteBuffer out) {
        out.put(array, offset, length);
    }

    int compareContent(ErlBinary other) {
        return Arrays.compareUnsigned(
                array, offset, offset + length, other.array, other.offset, other.offset + other.length);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ErlBinary)) {
            return false;
        }
        ErlBinary b = (ErlBinary) o;
        return Arrays.equals(array, offset, offset + length, b.array, b.offset, b.offset + b.length);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + array[i];
        }
        return h;
    }

    @Override
    public String toString() {
        return TermPrinter.print(this);
    }
}
