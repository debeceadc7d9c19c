package io.clink.testkit;

import io.clink.api.broker.ReasonCodes;
import io.clink.api.transport.ConnectResult;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/*
 * Why this exists: how an in-memory endpoint answers a CONNECT (accept, refuse, stall or time out; which credentials
 * pass; what CONNACK says about packet size and listener) is one decision, separate from the endpoint's faults,
 * connections and traffic. Not thread-safe: the endpoint reads and writes it under the network's lock.
 */
final class ConnectPolicy {

    private final Map<String, byte[]> users = new HashMap<>();
    InMemoryLinkNetwork.ConnectMode mode = InMemoryLinkNetwork.ConnectMode.ACCEPT;
    int refuseCode = 0x88;
    long maximumPacketSize = ConnectResult.UNLIMITED;
    String listenerName = InMemoryLinkNetwork.DEFAULT_LISTENER;

    void addUser(String username, byte[] password) {
        users.put(username, password);
    }

    /** The CONNACK code for the credentials, 0 when accepted. */
    int authenticate(Optional<String> username, Optional<byte[]> password) {
        if (users.isEmpty()) {
            return 0;
        }
        if (username.isEmpty()) {
            return ReasonCodes.NOT_AUTHORIZED;
        }
        byte[] expected = users.get(username.get());
        if (expected == null || password.isEmpty() || !Arrays.equals(expected, password.get())) {
            return 0x86;
        }
        return 0;
    }
}
