package io.clink.api.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A link's {@code server} naming one or more endpoints, {@code host1:port1,host2:port2}, tried in rotation. Each
 * entry follows {@link ServerAddress#parse}; blanks around a comma are ignored. Immutable.
 *
 * <p>Equal when the endpoints are equal in the same order.
 *
 * @since 0.2.0
 */
public final class ServerList {

    private static final String OPTION = "server";

    private final List<ServerAddress> endpoints;

    private ServerList(List<ServerAddress> endpoints) {
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
            if (!list.isEmpty() && list.get(0).tls() != a.tls()) {
                // One link has one TLS setting; a mix would silently downgrade some endpoints.
                throw InvalidConfigException.invalid(
                        OPTION, "'" + Checks.shorten(server) + "' mixes mqtt:// and mqtts:// at '" + entry + "'");
            }
            list.add(a);
        }
        return new ServerList(list);
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

    /**
     * A list of one address. Thread: any.
     *
     * @param address the only endpoint
     * @return the list
     * @since 0.2.0
     */
    public static ServerList of(ServerAddress address) {
        return new ServerList(List.of(Objects.requireNonNull(address, OPTION)));
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof ServerList && ((ServerList) o).endpoints.equals(endpoints);
    }

    @Override
    public int hashCode() {
        return endpoints.hashCode();
    }

    /**
     * The canonical form, which {@link #parse} reads back to an equal list: the endpoints' {@link
     * ServerAddress#toString()} joined by {@code ,}. For one endpoint it is that endpoint's canonical form.
     */
    @Override
    public String toString() {
        return endpoints.stream().map(ServerAddress::toString).collect(Collectors.joining(","));
    }
}
