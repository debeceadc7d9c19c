package io.clink.core.internal.route;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The table of route-id codes: how a row stores its opaque route id as one int, relative to the row's filter.
 *
 * <p>Encoding: {@link #SAME_AS_FILTER} when the id's bytes equal the filter's UTF-8 bytes (a plain subscription, the
 * common row); otherwise the code of an interned, reference-counted entry, which is a prefix when the id properly ends
 * with the filter ({@code $s/<group>/}, {@code $p/<session>/}, shared by every row of that group or session) and the
 * whole id ("raw") when it does not.
 *
 * <p>Invariants: the encoding is canonical, so one route id on one filter always gets the same code and rows compare
 * by code; every code in use is the code of exactly one entry, found under its bytes in the prefix or raw table, and
 * counts exactly the rows that use it; a code whose last row went is free for reuse, so codes stay small and the
 * table dense; code {@code 0} is never an entry.
 *
 * <p>Concurrency: writer only; readers never decode a route id.
 */
final class RouteIdCodes {

    /** Route-id code meaning "equal to the row's filter" (a plain subscription). */
    static final int SAME_AS_FILTER = 0;

    /** Route-id prefixes ({@code $s/<group>/}, {@code $p/<session>/}) by bytes. */
    private final Map<RouteId, Entry> prefixes = new HashMap<>();
    /** Route ids that do not end with their filter, by bytes. */
    private final Map<RouteId, Entry> rawIds = new HashMap<>();
    /** Entries in use by code; index 0 ({@link #SAME_AS_FILTER}) stays null. */
    private final List<@Nullable Entry> byCode = new ArrayList<>(Collections.singletonList(null));
    /** Codes whose last row went, for reuse. */
    private final ArrayDeque<Integer> freeCodes = new ArrayDeque<>();

    /** The code of an existing encoding of {@code routeId} on {@code filter} (UTF-8), or -1 if no row can have it. */
    int codeOf(RouteId routeId, byte[] filter) {
        if (routeId.bytesEqual(filter)) {
            return SAME_AS_FILTER;
        }
        Entry e = routeId.endsWithProperly(filter)
                ? prefixes.get(routeId.prefix(routeId.length() - filter.length))
                : rawIds.get(routeId);
        return e == null ? -1 : e.code;
    }

    /** Encodes {@code routeId} relative to {@code filter} (its UTF-8 bytes) for a new row and counts the use. */
    int acquire(RouteId routeId, byte[] filter) {
        if (routeId.bytesEqual(filter)) {
            return SAME_AS_FILTER;
        }
        boolean raw = !routeId.endsWithProperly(filter);
        RouteId key = raw ? routeId : routeId.prefix(routeId.length() - filter.length);
        Map<RouteId, Entry> table = raw ? rawIds : prefixes;
        Entry e = table.get(key);
        if (e == null) {
            Integer free = freeCodes.poll();
            int code = free != null ? free : byCode.size();
            e = new Entry(key, raw, code);
            if (free != null) {
                byCode.set(code, e);
            } else {
                byCode.add(e);
            }
            table.put(key, e);
        }
        e.refs++;
        return e.code;
    }

    /** Counts a row using {@code code} as gone. */
    void release(int code) {
        if (code == SAME_AS_FILTER) {
            return;
        }
        Entry e = requireNonNull(byCode.get(code), "id code");
        if (--e.refs == 0) {
            (e.raw ? rawIds : prefixes).remove(e.id);
            byCode.set(code, null);
            freeCodes.push(code);
        }
    }

    /** The route id that {@code code} stands for on {@code filter}. */
    RouteId decode(int code, String filter) {
        if (code == SAME_AS_FILTER) {
            return RouteId.utf8(filter);
        }
        Entry e = requireNonNull(byCode.get(code), "id code");
        return e.raw ? e.id : e.id.concat(filter.getBytes(StandardCharsets.UTF_8));
    }

    /** True when {@code code} is {@link #SAME_AS_FILTER} or the code of an entry in use. */
    boolean isKnown(int code) {
        return code == SAME_AS_FILTER || (code > 0 && code < byCode.size() && byCode.get(code) != null);
    }

    /**
     * Describes the first broken invariant given the uses of each code that the rows show, or returns null. For
     * {@link RouteIndexInvariants}.
     */
    @Nullable
    String check(Map<Integer, Integer> usesByCode) {
        int inUse = 0;
        for (int code = 1; code < byCode.size(); code++) {
            Entry e = byCode.get(code);
            if (e == null) {
                continue;
            }
            inUse++;
            if (e.code != code || (e.raw ? rawIds : prefixes).get(e.id) != e) {
                return "id code " + code + " ('" + e.id + "') out of its table";
            }
            int uses = usesByCode.getOrDefault(code, 0);
            if (e.refs != uses) {
                return "id code " + code + " ('" + e.id + "') counts " + e.refs + " but has " + uses + " uses";
            }
        }
        if (inUse != prefixes.size() + rawIds.size() || inUse + freeCodes.size() != byCode.size() - 1) {
            return "id tables out of date: " + inUse + " codes in use, " + prefixes.size() + " prefixes, "
                    + rawIds.size() + " raw ids, " + freeCodes.size() + " free of " + byCode.size();
        }
        return null;
    }

    /**
     * A route-id prefix shared by the rows whose id is {@code id + filter}, or (raw) a whole route id that does not
     * end with its filter.
     */
    private static final class Entry {
        final RouteId id;
        final boolean raw;
        final int code;
        int refs;

        Entry(RouteId id, boolean raw, int code) {
            this.id = id;
            this.raw = raw;
            this.code = code;
        }
    }
}
