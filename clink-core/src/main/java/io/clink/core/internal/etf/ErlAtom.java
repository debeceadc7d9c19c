package io.clink.core.internal.etf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * An Erlang atom. Holds its UTF-8 bytes so the encoder writes a constant atom with a single array copy.
 * Atoms decoded from the Latin-1 tags (100, 115) and from the UTF-8 tags (118, 119) with the same text are equal,
 * as in Erlang.
 */
public final class ErlAtom implements Term {
    /** Erlang's limit on the length of an atom, in characters. */
    public static final int MAX_CHARS = 255;

    public static final ErlAtom OK = new ErlAtom("ok");
    public static final ErlAtom ERROR = new ErlAtom("error");
    public static final ErlAtom TRUE = new ErlAtom("true");
    public static final ErlAtom FALSE = new ErlAtom("false");
    public static final ErlAtom UNDEFINED = new ErlAtom("undefined");

    private final String name;
    private final byte[] utf8;

    private ErlAtom(String name) {
        int chars = name.codePointCount(0, name.length());
        if (chars > MAX_CHARS) {
            throw new IllegalArgumentException("atom has " + chars + " characters, Erlang allows at most " + MAX_CHARS);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("atom text has an unpaired surrogate at index " + i);
            }
        }
        this.name = name;
        this.utf8 = name.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Returns the atom with the given text.
     *
     * @param name the atom text, at most 255 characters, valid Unicode
     * @return the atom
     * @throws IllegalArgumentException if the text is too long or has an unpaired surrogate
     */
    public static ErlAtom of(String name) {
        return new ErlAtom(name);
    }

    /**
     * Returns a boolean as the atom {@code true} or {@code false}.
     *
     * @param value the value
     * @return {@link #TRUE} or {@link #FALSE}
     */
    public static ErlAtom of(boolean value) {
        return value ? TRUE : FALSE;
    }

    /**
     * Returns the atom text.
     *
     * @return the text
     */
    public String name() {
        return name;
    }

    /** The UTF-8 bytes; never handed out, so they stay immutable. */
    byte[] utf8() {
        return utf8;
    }

    /**
     * Returns the length of the UTF-8 text in bytes.
     *
     * @return the byte length
     */
    public int utf8Length() {
        return utf8.length;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o == this || (o instanceof ErlAtom && Arrays.equals(utf8, ((ErlAtom) o).utf8));
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return TermPrinter.print(this);
    }
}
