package io.clink.core.internal.route;

import org.jspecify.annotations.Nullable;

/**
 * The compact encoding of a trie node's level key: what a node stores instead of a {@code String} for its level.
 *
 * <p>Invariants: an exact level is a {@code byte[]} when every char is below 256 (one byte a char, no {@code String}
 * header, no cached hash) and a {@code char[]} otherwise; the empty level is the one shared {@link #EMPTY_LEVEL};
 * {@link #PLUS} and {@link #MULTI} are identity-compared markers that no exact key ever equals; a key is never written
 * after it is made, so nodes spelling the same level may share one instance. {@link #hash(String, int, int)} of a
 * level's text equals {@code String.hashCode()} of that text and {@link #hash(Object)} of its key, so the matcher
 * hashes the topic's levels as it scans them and the writer recomputes the same hash from a key.
 *
 * <p>Concurrency: stateless. {@link #equals} runs on publisher threads while matching and allocates nothing; keys
 * are immutable, so a reader that reached a node through a release store sees its whole key.
 */
final class LevelKeys {

    /** Key of a {@code +} node. Identity-compared; never equal to a level's key. */
    static final Object PLUS = new Object();

    /** Key of a {@code #} node. */
    static final Object MULTI = new Object();

    private static final byte[] EMPTY_LEVEL = new byte[0];

    private LevelKeys() {}

    /** Hash of {@code s[from, to)}, equal to {@code s.substring(from, to).hashCode()} without the substring. */
    static int hash(String s, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + s.charAt(i);
        }
        return h;
    }

    /** A new key spelling {@code s[from, to)}. */
    static Object make(String s, int from, int to) {
        if (from == to) {
            return EMPTY_LEVEL;
        }
        boolean latin1 = true;
        for (int i = from; i < to && latin1; i++) {
            latin1 = s.charAt(i) < 256;
        }
        if (latin1) {
            byte[] b = new byte[to - from];
            for (int i = from; i < to; i++) {
                b[i - from] = (byte) s.charAt(i);
            }
            return b;
        }
        char[] c = new char[to - from];
        s.getChars(from, to, c, 0);
        return c;
    }

    /** True when {@code k}, a key from {@link #make}, spells {@code s[from, to)}; false for wildcards and the root. */
    static boolean equals(@Nullable Object k, String s, int from, int to) {
        int len = to - from;
        if (k instanceof byte[]) {
            byte[] b = (byte[]) k;
            if (b.length != len) {
                return false;
            }
            for (int i = 0; i < len; i++) {
                if (s.charAt(from + i) != (char) (b[i] & 0xFF)) {
                    return false;
                }
            }
            return true;
        }
        if (k instanceof char[]) {
            char[] c = (char[]) k;
            if (c.length != len) {
                return false;
            }
            for (int i = 0; i < len; i++) {
                if (s.charAt(from + i) != c[i]) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /** True for the key of an exact level (not a wildcard, not the root). */
    static boolean isExact(@Nullable Object k) {
        return k instanceof byte[] || k instanceof char[];
    }

    /** {@link #hash(String, int, int)} of the text {@code k} spells; 0 for wildcards and the root. Writer side. */
    static int hash(@Nullable Object k) {
        int h = 0;
        if (k instanceof byte[]) {
            for (byte b : (byte[]) k) {
                h = 31 * h + (b & 0xFF);
            }
        } else if (k instanceof char[]) {
            for (char c : (char[]) k) {
                h = 31 * h + c;
            }
        }
        return h;
    }

    /** The level text of an exact key, a wildcard's text, or "" for the root's null key. Cold path. */
    static String text(@Nullable Object k) {
        if (k == PLUS) {
            return "+";
        }
        if (k == MULTI) {
            return "#";
        }
        if (k instanceof byte[]) {
            byte[] b = (byte[]) k;
            char[] c = new char[b.length];
            for (int i = 0; i < b.length; i++) {
                c[i] = (char) (b[i] & 0xFF);
            }
            return new String(c);
        }
        if (k instanceof char[]) {
            return new String((char[]) k);
        }
        return "";
    }
}
