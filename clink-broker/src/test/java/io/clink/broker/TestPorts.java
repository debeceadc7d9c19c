package io.clink.broker;

import io.clink.testkit.net.FreePorts;

/** The demo's six ports, picked free in one call (two separate calls once returned the same port in CI). */
final class TestPorts {

    private TestPorts() {}

    static Demo.Ports demo() {
        int[] p = FreePorts.pick(6);
        return new Demo.Ports(p[0], p[1], p[2], p[3], p[4], p[5]);
    }
}
