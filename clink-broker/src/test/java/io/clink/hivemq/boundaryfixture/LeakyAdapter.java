package io.clink.hivemq.boundaryfixture;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.clink.core.internal.etf.EtfLimits;

/**
 * A planted violation of the module boundary, for {@code ModuleBoundaryTest} only: a class in the hivemq module's
 * package root that uses core's internals and returns a parser type from a public method.
 */
public final class LeakyAdapter {
    private LeakyAdapter() {}

    public static int payloadLimit() {
        return EtfLimits.defaults().maxPayloadBytes();
    }

    public static Config config() {
        return ConfigFactory.empty();
    }
}
