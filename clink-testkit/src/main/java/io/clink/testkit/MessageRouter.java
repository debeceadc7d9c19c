package io.clink.testkit;

import io.clink.api.broker.MqttMessage;
import io.clink.api.topic.Subscription;
import io.clink.api.topic.TopicAlgebra;
import io.clink.testkit.FakeLocalBroker.Delivery;
import io.clink.testkit.FakeLocalBroker.Source;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/*
 * Why this exists: who receives a message in a FakeLocalBroker is one rule set (one copy per client for its plain
 * subscriptions, one member per share group in round-robin, retained messages kept only from local publishes and
 * sent to new plain subscriptions); it is kept apart from session bookkeeping so it can be read on its own. Not
 * thread-safe: the SessionTable calls it under its lock and dispatches the result after releasing it.
 */
final class MessageRouter {

    private record Member(FakeSession session, String subscription, FakeSession.Sub sub) {}

    private final Map<String, MqttMessage> retained = new TreeMap<>();
    private final Map<String, Integer> shareCursors = new HashMap<>();

    Optional<MqttMessage> retained(String topic) {
        return Optional.ofNullable(retained.get(topic));
    }

    /** Routes a message to every matching subscription of {@code sessions}, recording each delivery in its session. */
    List<Delivery> route(Collection<FakeSession> sessions, MqttMessage message, Source source) {
        // Only a client's own publish touches the retained store: a forwarded one is never synchronised (4.12).
        if (message.retain() && source == Source.LOCAL_PUBLISH) {
            if (message.payloadSize() == 0) {
                retained.remove(message.topic());
            } else {
                retained.put(message.topic(), message);
            }
        }
        List<Delivery> out = new ArrayList<>();
        Map<String, List<Member>> groups = new LinkedHashMap<>();
        for (FakeSession s : sessions) {
            String firstPlain = null;
            int bestQos = -1;
            for (Map.Entry<String, FakeSession.Sub> e : s.subscriptions.entrySet()) {
                FakeSession.Sub sub = e.getValue();
                if (!TopicAlgebra.match(sub.parsed().filter().value(), message.topic())) {
                    continue;
                }
                if (sub.parsed().isShared()) {
                    String key = sub.parsed().group().orElseThrow()
                            + '\u0000'
                            + sub.parsed().filter().value();
                    groups.computeIfAbsent(key, k -> new ArrayList<>()).add(new Member(s, e.getKey(), sub));
                } else {
                    if (firstPlain == null) {
                        firstPlain = e.getKey();
                    }
                    bestQos = Math.max(bestQos, sub.qos());
                }
            }
            if (firstPlain != null && (s.connected || message.qos() > 0)) {
                out.add(record(
                        s, new Delivery(s.clientId, firstPlain, message, Math.min(bestQos, message.qos()), source)));
            }
        }
        for (Map.Entry<String, List<Member>> g : groups.entrySet()) {
            List<Member> members = g.getValue();
            List<Member> online =
                    members.stream().filter(m -> m.session.connected).toList();
            List<Member> candidates = online.isEmpty() ? members : online;
            candidates = new ArrayList<>(candidates);
            candidates.sort((a, b) -> Long.compare(a.sub.order(), b.sub.order()));
            int cursor = shareCursors.merge(g.getKey(), 1, Integer::sum) - 1;
            Member chosen = candidates.get(Math.floorMod(cursor, candidates.size()));
            out.add(record(
                    chosen.session,
                    new Delivery(
                            chosen.session.clientId,
                            chosen.subscription,
                            message,
                            Math.min(chosen.sub.qos(), message.qos()),
                            source)));
        }
        return out;
    }

    /** The retained messages a new plain subscription receives, recorded in its session; none for a shared one. */
    List<Delivery> retainedFor(FakeSession session, String subscription, Subscription parsed, int qos) {
        List<Delivery> out = new ArrayList<>();
        if (parsed.isShared()) {
            return out;
        }
        for (MqttMessage m : retained.values()) {
            if (TopicAlgebra.match(parsed.filter().value(), m.topic())) {
                out.add(record(
                        session,
                        new Delivery(session.clientId, subscription, m, Math.min(qos, m.qos()), Source.RETAINED)));
            }
        }
        return out;
    }

    private static Delivery record(FakeSession s, Delivery d) {
        s.deliveries.add(d);
        return d;
    }
}
