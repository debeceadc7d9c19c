package io.clink.core.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.clink.api.link.ActorState;
import io.clink.api.link.ActorStateChange;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateListenersTest {

    @Test
    void accept_aListenerThrows_othersStillHearTheChangeAndNothingPropagates() {
        StateListeners listeners = new StateListeners();
        List<String> heard = new ArrayList<>();
        listeners.add(change -> heard.add("first " + change.to()));
        listeners.add(change -> {
            throw new IllegalStateException("broken listener");
        });
        listeners.add(change -> heard.add("third " + change.to()));

        listeners.accept(change());

        assertThat(heard).containsExactly("first HANDSHAKING", "third HANDSHAKING");
    }

    private static ActorStateChange change() {
        return new ActorStateChange(
                "eu", "clink@node1", ActorState.CONNECTING, ActorState.HANDSHAKING, 1_000, null, null);
    }
}
