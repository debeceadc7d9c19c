package io.clink.api.topic;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Set algebra over MQTT topic filters: matching, intersection, subset and union, with the semantics EMQX uses for
 * cluster linking (protocol document section 4.8).
 *
 * <p>A filter stands for the set of topic names it matches; a topic name is a filter matching only itself. The rules:
 * <ul>
 *   <li>{@code +} matches exactly one level, which may be empty; {@code #} matches any number of further levels,
 *       <em>including none</em>, so {@code a/#} matches {@code a} (MQTT 5.0 section 4.7.1.2).</li>
 *   <li>A filter whose first level is {@code +} or {@code #} never matches a topic whose first level starts with
 *       {@code $} (MQTT-4.7.2-1); {@code $SYS/#} does.</li>
 * </ul>
 *
 * <p>Results are exact over <em>valid</em> topic names, which are never empty. This differs from EMQX in one corner:
 * EMQX intersects {@code /#} and {@code +} to the empty string, here the intersection is empty (null).
 *
 * <p>Every method takes strings that are <em>already valid</em> (see {@link TopicName#of} and
 * {@link TopicFilter#of}); the result for invalid input is unspecified. The methods are pure, thread-safe, do not
 * split strings into arrays, and return one of their arguments instead of a new string whenever the answer equals
 * it.
 *
 * <p>Invariant of the level walks below: a position {@code p} in a string {@code s} is the start of the next level
 * when {@code p <= s.length()}, and {@code p == s.length() + 1} means no level is left (so {@code "a/"} has the
 * levels {@code "a"} and {@code ""}).
 *
 * @since 0.1.0
 */
public final class TopicAlgebra {

    private TopicAlgebra() {}

    /**
     * Tells whether {@code filter} matches {@code topic} under MQTT rules.
     *
     * @param filter a valid topic filter
     * @param topic  a valid topic name
     * @return true if the filter matches the topic
     * @since 0.1.0
     */
    public static boolean match(String filter, String topic) {
        if (dollarVersusWildcard(topic, filter)) {
            return false;
        }
        int fn = filter.length();
        int tn = topic.length();
        int fi = 0;
        int ti = 0;
        while (true) {
            if (fi > fn) {
                return ti > tn;
            }
            int fe = levelEnd(filter, fi);
            if (isHash(filter, fi, fe)) {
                return true;
            }
            if (ti > tn) {
                return false;
            }
            int te = levelEnd(topic, ti);
            if (!isPlus(filter, fi, fe) && !sameLevel(filter, fi, fe, topic, ti, te)) {
                return false;
            }
            fi = fe + 1;
            ti = te + 1;
        }
    }

    /**
     * Returns the filter that matches exactly the topics matched by both {@code a} and {@code b}, or null if no
     * topic is matched by both. The operation is commutative. Examples: {@code t/global/#} and {@code t/+/1/+} give
     * {@code t/global/1/+}; {@code t/#} and {@code t} give {@code t}; {@code $SYS/x} and {@code #} give null.
     *
     * @param a a valid topic filter or name
     * @param b a valid topic filter or name
     * @return the intersection, or null if it is empty
     * @since 0.1.0
     */
    public static @Nullable String intersection(String a, String b) {
        if (a.equals(b)) {
            return a;
        }
        if (dollarVersusWildcard(a, b) || dollarVersusWildcard(b, a)) {
            return null;
        }
        int an = a.length();
        int bn = b.length();
        int ai = 0;
        int bi = 0;
        // While fromA (fromB) holds, the result built so far is exactly a[0, ai) (b[0, bi)); the builder is only
        // needed once the result has taken levels from both sides.
        boolean fromA = true;
        boolean fromB = true;
        @Nullable StringBuilder sb = null;
        while (true) {
            boolean aDone = ai > an;
            boolean bDone = bi > bn;
            if (aDone && bDone) {
                return sb != null ? sb.toString() : fromA ? a : b;
            }
            int ae = aDone ? ai : levelEnd(a, ai);
            int be = bDone ? bi : levelEnd(b, bi);
            if (!bDone && isHash(b, bi, be)) {
                // '#' absorbs the rest of a, and matches the parent level when a has no levels left.
                return joinRest(sb, fromA, fromB, a, ai, b, bi);
            }
            if (!aDone && isHash(a, ai, ae)) {
                return joinRest(sb, fromB, fromA, b, bi, a, ai);
            }
            if (aDone || bDone) {
                return null;
            }
            boolean aPlus = isPlus(a, ai, ae);
            boolean bPlus = isPlus(b, bi, be);
            // The result level is '+' against '+', the literal against '+', or the shared literal.
            boolean keepsA;
            boolean keepsB;
            if (aPlus == bPlus) {
                if (!aPlus && !sameLevel(a, ai, ae, b, bi, be)) {
                    return null;
                }
                keepsA = true;
                keepsB = true;
            } else {
                keepsA = bPlus;
                keepsB = aPlus;
            }
            boolean nextFromA = fromA && keepsA;
            boolean nextFromB = fromB && keepsB;
            if (sb == null && !nextFromA && !nextFromB) {
                sb = new StringBuilder(Math.max(an, bn));
                if (fromA) {
                    sb.append(a, 0, ai);
                } else {
                    sb.append(b, 0, bi);
                }
                appendLevel(sb, keepsA, a, ai, ae, b, bi, be);
            } else if (sb != null) {
                appendLevel(sb.append('/'), keepsA, a, ai, ae, b, bi, be);
            }
            fromA = nextFromA;
            fromB = nextFromB;
            ai = ae + 1;
            bi = be + 1;
        }
    }

    /**
     * Tells whether every topic matched by {@code a} is also matched by {@code b}. Every filter is a subset of
     * itself. This is the exact relation over valid topic names, so filters that match the same topics are subsets
     * of each other even when they differ as strings: {@code #} and {@code +/#} (every topic has at least one
     * level), and {@code /#} and {@code /+/#} (the parent level of {@code /#} would be the empty topic).
     * EMQX's {@code is_subset} compares strings instead and says no for these pairs in one direction.
     *
     * @param a a valid topic filter or name
     * @param b a valid topic filter or name
     * @return true if {@code a} matches no topic that {@code b} does not match
     * @since 0.1.0
     */
    public static boolean isSubset(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        // b's wildcard first level excludes the $-topics that a's literal $-first level matches.
        if (dollarVersusWildcard(a, b)) {
            return false;
        }
        int an = a.length();
        int bn = b.length();
        int ai = 0;
        int bi = 0;
        while (true) {
            boolean aDone = ai > an;
            boolean bDone = bi > bn;
            int be = bDone ? bi : levelEnd(b, bi);
            if (!bDone && isHash(b, bi, be)) {
                // b takes any number (>= 0) of further levels; a's topics all have at least this many.
                return true;
            }
            if (aDone || bDone) {
                return aDone && bDone;
            }
            int ae = levelEnd(a, ai);
            if (isHash(a, ai, ae)) {
                // a matches the parent topic and deeper ones; a b without '#' here cannot match both. Unless the
                // parent topic is not a valid topic: "#" has none, and the parent of "/#" would be the empty
                // string. Then a matches one level or more, like "+/#" ("/+/#").
                boolean noParent = ai <= 1;
                return noParent && isPlus(b, bi, be) && be < bn && isHash(b, be + 1, bn);
            }
            if (isPlus(b, bi, be)) {
                // Any level of a, literal or '+', is within '+'.
            } else if (isPlus(a, ai, ae) || !sameLevel(a, ai, ae, b, bi, be)) {
                return false;
            }
            ai = ae + 1;
            bi = be + 1;
        }
    }

    /**
     * Reduces {@code filters} to the survivors that no other filter covers: a filter is dropped if it is a
     * {@linkplain #isSubset subset} of another filter that is not a subset of it, or if it matches the same topics
     * as an earlier filter (so of exact duplicates, and of equivalent filters such as {@code #} and {@code +/#},
     * the first one is kept). The result matches the same topics as the input.
     *
     * <p><b>Order:</b> survivors keep the order in which they first appear in {@code filters}. (EMQX's
     * {@code emqx_topic:union/1} keeps the same set; its order is not part of its contract.) Runs in
     * {@code O(n²)} subset checks, meant for configuration-sized lists.
     *
     * @param filters valid topic filters or names, in any order, possibly with duplicates
     * @return an unmodifiable list of the surviving filters, in first-seen order
     * @since 0.1.0
     */
    public static List<String> union(Collection<String> filters) {
        List<String> in = List.copyOf(filters);
        int n = in.size();
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String f = in.get(i);
            boolean keep = true;
            for (int j = 0; j < n && keep; j++) {
                if (j != i) {
                    String g = in.get(j);
                    keep = !(isSubset(f, g) && (j < i || !isSubset(g, f)));
                }
            }
            if (keep) {
                out.add(f);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Computes what a cluster link replicates for one local subscription (protocol document section 4.8): the
     * intersection of {@code localFilter} with each link topic, the empty ones left out, reduced with
     * {@link #union}. The result is in the order of the link topics that produced the survivors.
     *
     * @param localFilter a valid topic filter (the real filter of a local subscription, without any share prefix)
     * @param linkTopics  the link's valid topic filters, usually already reduced with {@link #union}
     * @return an unmodifiable list of the filters to replicate, empty if the subscription and the link are disjoint
     * @since 0.1.0
     */
    public static List<String> intersections(String localFilter, Collection<String> linkTopics) {
        List<String> hits = new ArrayList<>(linkTopics.size());
        for (String linkTopic : linkTopics) {
            String x = intersection(localFilter, linkTopic);
            if (x != null) {
                hits.add(x);
            }
        }
        return hits.size() <= 1 ? Collections.unmodifiableList(hits) : union(hits);
    }

    /**
     * Tells whether a filter or name contains a wildcard level.
     *
     * @param filter a valid topic filter or name
     * @return true if the filter has a {@code +} or {@code #} level
     * @since 0.1.0
     */
    public static boolean isWildcard(String filter) {
        // In a valid filter '+' and '#' only ever appear as whole levels.
        return filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0;
    }

    /** Builds the result when one side's '#' absorbs the rest of {@code rest} from {@code ri} on. */
    private static @Nullable String joinRest(
            @Nullable StringBuilder sb, boolean fromRest, boolean fromHash, String rest, int ri, String hash, int hi) {
        boolean restDone = ri > rest.length();
        if (sb == null && fromRest) {
            // The result so far is rest[0, ri) and it continues with rest's own tail: it is rest itself.
            return rest;
        }
        if (restDone) {
            // Parent-level match: the result ends where rest ended, without hash's "/#". If that leaves the empty
            // string (from "/#" against "+" or ""-levels), the only common topic would be "", which is not valid.
            if (sb != null) {
                return sb.length() == 0 ? null : sb.toString();
            }
            // fromHash holds here: the prefix is hash[0, hi) minus its trailing '/'.
            return hi == 1 ? null : hash.substring(0, hi - 1);
        }
        if (sb == null) {
            // fromHash: hash[0, hi) already ends with '/' (hi > 0, since a first-level '#' makes fromRest true).
            return hash.substring(0, hi) + rest.substring(ri);
        }
        return sb.append('/').append(rest, ri, rest.length()).toString();
    }

    private static void appendLevel(
            StringBuilder sb, boolean fromA, String a, int ai, int ae, String b, int bi, int be) {
        if (fromA) {
            sb.append(a, ai, ae);
        } else {
            sb.append(b, bi, be);
        }
    }

    /** True if {@code topic}'s first level starts with '$' and {@code filter}'s first level is a wildcard. */
    private static boolean dollarVersusWildcard(String topic, String filter) {
        if (topic.isEmpty() || topic.charAt(0) != '$' || filter.isEmpty()) {
            return false;
        }
        char f = filter.charAt(0);
        return f == '+' || f == '#';
    }

    private static int levelEnd(String s, int from) {
        int slash = s.indexOf('/', from);
        return slash < 0 ? s.length() : slash;
    }

    private static boolean isHash(String s, int from, int end) {
        return end - from == 1 && s.charAt(from) == '#';
    }

    private static boolean isPlus(String s, int from, int end) {
        return end - from == 1 && s.charAt(from) == '+';
    }

    private static boolean sameLevel(String a, int ai, int ae, String b, int bi, int be) {
        return ae - ai == be - bi && a.regionMatches(ai, b, bi, ae - ai);
    }
}
