package io.clink.testkit;

import io.clink.api.broker.PublishProperties;
import io.clink.api.topic.TopicAlgebra;
import io.clink.api.transport.InboundPublish;
import io.clink.api.transport.InboundPublishHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/*
 * Why this exists: an in-memory link client hands each delivery to every handler whose filter matches, as a real
 * transport does, and contains a handler that throws (kept as a callback failure) so that the next handler still
 * runs. Registration is not thread-safe (InMemoryLinkClient uses it under the network's lock); delivery runs without
 * the lock.
 */
final class InboundHandlers {

    private record Handler(String filter, InboundPublishHandler handler) {}

    private final List<Handler> handlers = new ArrayList<>();

    void add(String filter, InboundPublishHandler handler) {
        handlers.add(new Handler(filter, handler));
    }

    void remove(String filter, InboundPublishHandler handler) {
        handlers.removeIf(h -> h.handler() == handler && h.filter().equals(filter));
    }

    void clear() {
        handlers.clear();
    }

    List<InboundPublishHandler> matching(String topic) {
        List<InboundPublishHandler> out = new ArrayList<>();
        for (Handler h : handlers) {
            if (TopicAlgebra.match(h.filter(), topic)) {
                out.add(h.handler());
            }
        }
        return out;
    }

    /** Calls each handler with the delivery; what a handler throws goes to {@code failed}. */
    static void deliver(List<InboundPublishHandler> matching, FakeLocalBroker.Delivery d, Consumer<Throwable> failed) {
        PublishProperties props = d.properties();
        for (InboundPublishHandler h : matching) {
            // NullAway does not read the type-use nullness of an array component from clink-api's class files.
            @SuppressWarnings("NullAway")
            InboundPublish in = new InboundPublish(
                    d.topic(),
                    d.payload(),
                    d.qos(),
                    d.retain(),
                    props.responseTopic().orElse(null),
                    props.correlationData().orElse(null));
            try {
                h.onPublish(in);
            } catch (RuntimeException e) {
                failed.accept(e);
            }
        }
    }
}
