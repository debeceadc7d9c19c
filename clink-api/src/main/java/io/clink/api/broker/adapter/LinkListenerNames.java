package io.clink.api.broker.adapter;

import java.util.Objects;
import java.util.Set;

/**
 * Checks the names of the listeners on which an adapter accepts {@code $LINK/...} traffic, as adapters take them in
 * their constructors: at least one, none empty, so that a typo in a broker configuration fails at start instead of
 * silently refusing every link.
 *
 * @since 0.1.0
 */
public final class LinkListenerNames {

    private LinkListenerNames() {}

    /**
     * An immutable copy of {@code names}, checked.
     *
     * <p>Thread: any. Blocking: never.
     *
     * @param names the listener names as given, not null, no null element
     * @param parameter the adapter's parameter name, for the messages (e.g. {@code "linkListenerNames"})
     * @param noun what one name is, for the message (e.g. {@code "name"} or {@code "acceptor name"})
     * @return the names, immutable
     * @throws NullPointerException if {@code names} (message: {@code parameter}) or one of its elements is null
     * @throws IllegalArgumentException if {@code names} is empty or holds an empty name; the message names the
     *     parameter and the set given
     * @since 0.1.0
     */
    public static Set<String> copyOf(Set<String> names, String parameter, String noun) {
        Set<String> copy = Set.copyOf(Objects.requireNonNull(names, parameter));
        if (copy.isEmpty() || copy.contains("")) {
            throw new IllegalArgumentException(
                    parameter + " must hold at least one " + noun + " and no empty name, got " + names);
        }
        return copy;
    }
}
