package io.clink.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.MqttMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordingBrokerTest {

    private static final LinkConnection CONN = LinkConnection.of("conn-1", "peer");

    private static MqttMessage message(String payload) {
        return MqttMessage.builder()
                .topic("t/1")
                .payload(payload.getBytes(StandardCharsets.UTF_8))
                .timestampMillis(1_722_945_600_000L)
                .build();
    }

    @Test
    void calls_standalone_recordedInOrder() {
        RecordingBroker b = new RecordingBroker();
        b.deliver(message("a"));
        b.reply(CONN, message("r"));
        b.disconnect(CONN, 0x83, "bad");

        assertThat(b.delivered()).hasSize(1);
        assertThat(b.replies()).extracting(RecordingBroker.Reply::connection).containsExactly(CONN);
        assertThat(b.disconnects())
                .extracting(RecordingBroker.Disconnect::summary)
                .containsExactly("conn-1 0x83");
        b.clear();
        assertThat(b.delivered()).isEmpty();
        assertThat(b.disconnects()).isEmpty();
    }

    @Test
    void failures_set_deliverThrowsUnrecordedDisconnectThrowsAfterRecording() {
        RecordingBroker b = new RecordingBroker();
        b.failDeliveriesWith(new IllegalStateException("sad"));
        b.failDisconnectsWith(new IllegalStateException("adapter failure"));

        assertThatThrownBy(() -> b.deliver(message("a"))).hasMessage("sad");
        assertThatThrownBy(() -> b.disconnect(CONN, 0x83, "x")).hasMessage("adapter failure");
        assertThat(b.delivered()).isEmpty();
        assertThat(b.disconnects()).hasSize(1);

        b.failDeliveriesWith(null);
        b.deliver(message("b"));
        assertThat(b.delivered()).hasSize(1);
    }

    @Test
    void wrapping_delegate_getsEveryCallAfterRecording() {
        RecordingBroker inner = new RecordingBroker();
        List<String> tapped = new ArrayList<>();
        RecordingBroker outer =
                RecordingBroker.wrapping(inner).keepDeliveries(false).onDeliver(m -> tapped.add(m.topic()));

        outer.deliver(message("a"));
        outer.reply(CONN, message("r"));
        outer.disconnect(CONN, 0x98, "admin");

        assertThat(outer.delivered()).as("not kept").isEmpty();
        assertThat(tapped).containsExactly("t/1");
        assertThat(inner.delivered()).hasSize(1);
        assertThat(inner.replies()).hasSize(1);
        assertThat(inner.disconnects())
                .extracting(RecordingBroker.Disconnect::reasonCode)
                .containsExactly(0x98);
    }
}
