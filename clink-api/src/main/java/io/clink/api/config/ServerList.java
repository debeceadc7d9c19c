package io.clink.api.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A link's {@code server} naming one or more endpoints, {@code host1:port1,host2:port2}, tried in rotation. Each
 * entry follows {@link ServerAddress#parse}; blanks around a comma are ignored. Immutable.
 *
 * <p>Not yet used by {@link LinkConfig}, which still accepts exactly one server; see CHANGELOG (failover, work in
 * progress).
 *
 * @since 0.2.0
 */
public final class ServerList {

    private static final String OPTION = "server";

    private final String given;
    private final List<ServerAddress> endpoints;

    private ServerList(String given, List<ServerAddress> endpoints) {
        this.given = given;
        this.endpoints = List.copyOf(endpoints);
    }

    /**
     * Parses a comma-separated {@code server} value. Thread: any; does not block.
     *
     * @param server one or more {@code [mqtt://|mqtts://]host[:port]} separated by commas
     * @return the endpoints in the order given
     * @throws InvalidConfigException naming the entry that is empty, malformed, or a duplicate of an earlier one
     * @throws NullPointerException if {@code server} is null
     * @since 0.2.0
     */
    public static ServerList parse(String server) {
        Objects.requireNonNull(server, OPTION);
        if (server.isBlank()) {
            throw InvalidConfigException.invalid(OPTION, "must not be empty");
        }
        String[] parts = server.split(",", -1);
        List<ServerAddress> list = new ArrayList<>(parts.length);
        Set<ServerAddress> seen = new HashSet<>();
        for (int i = 0; i < parts.length; i++) {
            String entry = parts[i].strip();
            if (entry.isEmpty()) {
                throw InvalidConfigException.invalid(
                        OPTION, "'" + Checks.shorten(server) + "' has an empty entry at position " + (i + 1));
            }
            ServerAddress a = ServerAddress.parse(entry);
            if (!seen.add(a)) {
                throw InvalidConfigException.invalid(
                        OPTION, "'" + Checks.shorten(server) + "' names '" + entry + "' more than once");
            }
            list.add(a);
        }
        return new ServerList(server, list);
    }

    /**
     * The endpoints in configuration order.
     *
     * @return an immutable, non-empty list
     * @since 0.2.0
     */
    public List<ServerAddress> endpoints() {
        return endpoints;
    }

    /** The value as given, for the configuration echo. */
    @Override
    public String toString() {
        return given;
    }
}
