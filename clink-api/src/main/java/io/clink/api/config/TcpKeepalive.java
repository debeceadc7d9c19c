package io.clink.api.config;

import java.util.Objects;

/**
 * TCP keepalive probing of a link connection ({@code tcp_opts.keepalive}), written {@code "Idle,Interval,Probes"}
 * as in EMQX: start probing after {@code idle} seconds without traffic, probe every {@code interval} seconds, give
 * up after {@code probes} unanswered probes.
 *
 * @param idleSeconds seconds of silence before the first probe, 1..7200
 * @param intervalSeconds seconds between probes, 1..7200
 * @param probes unanswered probes before the connection is declared dead, 1..127
 * @since 0.1.0
 */
public record TcpKeepalive(int idleSeconds, int intervalSeconds, int probes) {

    private static final String OPTION = "tcp_opts.keepalive";

    /**
     * Validates the values.
     *
     * @throws InvalidConfigException naming the bad value
     */
    public TcpKeepalive {
        Checks.range(OPTION + ".idle", idleSeconds, 1, 7200);
        Checks.range(OPTION + ".interval", intervalSeconds, 1, 7200);
        Checks.range(OPTION + ".probes", probes, 1, 127);
    }

    /**
     * Parses EMQX's notation.
     *
     * @param spec {@code "Idle,Interval,Probes"}, for example {@code "240,30,5"}
     * @return the settings
     * @throws InvalidConfigException if the text is not three integers in range
     * @since 0.1.0
     */
    public static TcpKeepalive parse(String spec) {
        Objects.requireNonNull(spec, OPTION);
        String[] parts = spec.split(",", -1);
        if (parts.length != 3) {
            throw InvalidConfigException.invalid(
                    OPTION, "must be \"Idle,Interval,Probes\" or \"none\", got '" + spec + "'");
        }
        int[] v = new int[3];
        for (int i = 0; i < 3; i++) {
            String p = parts[i].trim();
            if (p.isEmpty() || p.length() > 9 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw InvalidConfigException.invalid(
                        OPTION, "must be \"Idle,Interval,Probes\" with three integers, got '" + spec + "'");
            }
            v[i] = Integer.parseInt(p);
        }
        return new TcpKeepalive(v[0], v[1], v[2]);
    }

    /** EMQX's notation, which {@link #parse} reads back. */
    @Override
    public String toString() {
        return idleSeconds + "," + intervalSeconds + "," + probes;
    }
}
