package io.clink.core;

import io.clink.api.config.LinkConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a configuration reload changes in the link list: names added, removed and changed (any option differs),
 * compared by link name. Links that compare equal are left out so a reload can leave them running undisturbed.
 *
 * <p>Pure value computation: any thread, never blocks, arguments must not be null.
 *
 * @param added the links in the new configuration only
 * @param removed the links in the running configuration only
 * @param changed the links in both whose options differ
 * @since 0.1.0
 */
public record LinkChanges(List<String> added, List<String> removed, List<String> changed) {

    /** Copies the lists. */
    public LinkChanges {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
    }

    /**
     * Compares the running links with the ones just read; order of the names follows the input lists.
     *
     * @param running the links in force
     * @param next the links read from the configuration
     * @return the difference
     */
    public static LinkChanges between(List<LinkConfig> running, List<LinkConfig> next) {
        Map<String, LinkConfig> before = byName(running);
        Map<String, LinkConfig> after = byName(next);
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, LinkConfig> e : after.entrySet()) {
            LinkConfig old = before.get(e.getKey());
            if (old == null) {
                added.add(e.getKey());
            } else if (!old.equals(e.getValue())) {
                changed.add(e.getKey());
            }
        }
        List<String> removed = new ArrayList<>();
        for (String name : before.keySet()) {
            if (!after.containsKey(name)) {
                removed.add(name);
            }
        }
        return new LinkChanges(added, removed, changed);
    }

    /** Whether nothing changed. */
    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
    }

    /** The one log line a reload writes, e.g. {@code added [b], removed [], changed [a]}. */
    public String summary() {
        return isEmpty() ? "no link changes" : "added " + added + ", removed " + removed + ", changed " + changed;
    }

    private static Map<String, LinkConfig> byName(List<LinkConfig> links) {
        Map<String, LinkConfig> map = new LinkedHashMap<>();
        for (LinkConfig link : links) {
            map.put(link.name(), link);
        }
        return map;
    }
}
