package io.clink.testkit.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void pick_manyPorts_allDistinctAndBindable() throws Exception {
        int[] ports = FreePorts.pick(FreePorts.MAX_PORTS);
        assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(FreePorts.MAX_PORTS);
        for (int p : ports) {
            try (ServerSocket s = new ServerSocket(p)) {
                assertThat(s.getLocalPort()).isEqualTo(p);
            }
        }
    }

    @Test
    void pick_outOfRange_rejectedNamingTheValue() {
        assertThatThrownBy(() -> FreePorts.pick(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(": 0");
        assertThatThrownBy(() -> FreePorts.pick(FreePorts.MAX_PORTS + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(": " + (FreePorts.MAX_PORTS + 1));
    }
}
