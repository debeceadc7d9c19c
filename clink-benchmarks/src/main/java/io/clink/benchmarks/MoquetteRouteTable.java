package io.clink.benchmarks;

import io.moquette.broker.subscriptions.MoquetteTrie;
import io.moquette.broker.subscriptions.Subscription;
import java.util.HashSet;
import java.util.Set;

/** Moquette 0.17's concurrent trie ({@code CTrie}); a row is a subscription of its peer subscriber key. */
final class MoquetteRouteTable extends RouteTable {

    private final MoquetteTrie trie = new MoquetteTrie();

    @Override
    public void add(RouteWorkload.Route route) {
        trie.add(route.subscriber(), route.filter());
    }

    @Override
    public void remove(RouteWorkload.Route route) {
        trie.remove(route.subscriber(), route.filter());
    }

    @Override
    public Object match(String topic) {
        return trie.match(topic);
    }

    @Override
    public Set<String> clusters(String topic) {
        Set<String> out = new HashSet<>();
        for (Subscription s : trie.match(topic)) {
            out.add(clusterOf(s.getClientId()));
        }
        return out;
    }
}
