package io.clink.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clink.api.broker.LocalSubscription;
import io.clink.api.broker.PublishProperties;
import io.clink.testkit.LocalBrokerHarness.TestClient;
import io.clink.testkit.RecordingHooks.SessionEnded;
import io.clink.testkit.RecordingHooks.Subscribed;
import io.clink.testkit.RecordingHooks.Unsubscribed;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/*
 * Why this exists: the contract's subscription duties, the ones resynchronisation depends on: onSubscribe after the
 * grant (plain, $share, $queue), onUnsubscribe, onSessionEnd of a clean-start session, and forEachSubscription
 * listing exactly the current subscriptions.
 */
abstract class SubscriptionContract extends ContractFixture {

    // ------------------------------------------------------------------ subscription events

    @Test
    void onSubscribe_plainSubscription_reportedAsSentAfterSuback() throws Exception {
        TestClient c = harness.connectClient("contract-sub-plain");

        assertGranted(c.subscribe("contract/plain/+/x", 1));

        awaitEvent(
                "onSubscribe(contract-sub-plain, contract/plain/+/x)",
                () -> hooks.any(
                        Subscribed.class,
                        e -> e.clientId().equals("contract-sub-plain")
                                && e.subscription().equals("contract/plain/+/x")));
    }

    @Test
    void onSubscribe_sharedSubscription_reportedWithGroupAsSent() throws Exception {
        TestClient c = harness.connectClient("contract-sub-shared");

        assertGranted(c.subscribe("$share/contract-g/contract/shared/#", 1));

        awaitEvent(
                "onSubscribe of the $share subscription exactly as sent",
                () -> hooks.any(
                        Subscribed.class,
                        e -> e.clientId().equals("contract-sub-shared")
                                && e.subscription().equals("$share/contract-g/contract/shared/#")));
    }

    @Test
    void onSubscribe_queueSubscription_reportedAsSent() throws Exception {
        assumeTrue(harness.supportsQueueSubscriptions(), "the broker has no $queue/ subscriptions");
        TestClient c = harness.connectClient("contract-sub-queue");

        assertGranted(c.subscribe("$queue/contract/queue/1", 1));

        awaitEvent(
                "onSubscribe of the $queue subscription exactly as sent",
                () -> hooks.any(
                        Subscribed.class,
                        e -> e.clientId().equals("contract-sub-queue")
                                && e.subscription().equals("$queue/contract/queue/1")));
    }

    @Test
    void supportsQueueSubscriptions_declaredAsTheBrokerBehaves() {
        // clink advertises a route for <filter> to other clusters only when the adapter says the broker delivers
        // <filter> to $queue/<filter> subscribers; a wrong declaration draws traffic nobody receives, or loses it.
        assertEquals(
                harness.supportsQueueSubscriptions(),
                broker.supportsQueueSubscriptions(),
                "LocalBroker.supportsQueueSubscriptions() must say whether the broker treats $queue/<filter> as EMQX's"
                        + " shared group (the harness says it does: " + harness.supportsQueueSubscriptions() + ")");
    }

    @Test
    void onUnsubscribe_afterUnsubscribe_reportedAsSubscribed() throws Exception {
        TestClient c = harness.connectClient("contract-unsub");
        assertGranted(c.subscribe("contract/unsub/#", 1));
        assertGranted(c.subscribe("$share/contract-g/contract/unsub/s", 1));

        c.unsubscribe("contract/unsub/#");
        c.unsubscribe("$share/contract-g/contract/unsub/s");

        awaitEvent(
                "onUnsubscribe(contract-unsub, contract/unsub/#)",
                () -> hooks.any(
                        Unsubscribed.class,
                        e -> e.clientId().equals("contract-unsub")
                                && e.subscription().equals("contract/unsub/#")));
        awaitEvent(
                "onUnsubscribe of the shared subscription",
                () -> hooks.any(
                        Unsubscribed.class,
                        e -> e.clientId().equals("contract-unsub")
                                && e.subscription().equals("$share/contract-g/contract/unsub/s")));
    }

    @Test
    void onSessionEnd_cleanStartClientDisconnects_reported() throws Exception {
        TestClient c = harness.connectClient("contract-session");
        assertGranted(c.subscribe("contract/session/#", 1));
        Subscribed granted = awaitHook(
                "onSubscribe(contract-session, contract/session/#)",
                Subscribed.class,
                e -> e.clientId().equals("contract-session"));

        c.disconnect();

        // An adapter may also report the end at a clean-start CONNECT (the old session ends there); only a report
        // after the subscription shows that the session end at disconnect is seen.
        awaitEvent(
                "onSessionEnd(contract-session) after its subscription was reported: the session ends at disconnect, "
                        + "a report at CONNECT only leaves its routes behind",
                () -> eventsAfter(granted).stream()
                        .anyMatch(
                                e -> e instanceof SessionEnded s && s.clientId().equals("contract-session")));
    }

    // ------------------------------------------------------------------ MQTT 3.1.1 clients

    @Test
    void mqtt311Client_subscribeDeliverUnsubscribeDisconnect_reportedLikeMqtt5() throws Exception {
        TestClient c = harness.connectMqtt311Client("contract-v311");

        assertGranted(c.subscribe("contract/v311/#", 1));
        awaitEvent(
                "onSubscribe(contract-v311, contract/v311/#) of an MQTT 3.1.1 client",
                () -> hooks.any(
                        Subscribed.class,
                        e -> e.clientId().equals("contract-v311")
                                && e.subscription().equals("contract/v311/#")));
        broker.deliver(remoteMessage("contract/v311/remote", "from afar", 1, PublishProperties.EMPTY));
        assertEquals("from afar", awaitReceived(c, "contract/v311/remote").payloadUtf8());
        c.unsubscribe("contract/v311/#");
        Unsubscribed gone = awaitHook(
                "onUnsubscribe(contract-v311, contract/v311/#) of an MQTT 3.1.1 client (its UNSUBACK has no codes)",
                Unsubscribed.class,
                e -> e.clientId().equals("contract-v311") && e.subscription().equals("contract/v311/#"));
        c.disconnect();

        awaitEvent(
                "onSessionEnd(contract-v311) after its unsubscribe: an MQTT 3.1.1 clean session ends at disconnect",
                () -> eventsAfter(gone).stream()
                        .anyMatch(
                                e -> e instanceof SessionEnded s && s.clientId().equals("contract-v311")));
    }

    // ------------------------------------------------------------------ forEachSubscription

    @Test
    void forEachSubscription_afterChanges_listsCurrentSubscriptionsIncludingShared() throws Exception {
        TestClient a = harness.connectClient("contract-snap-a");
        TestClient b = harness.connectClient("contract-snap-b");
        assertGranted(a.subscribe("contract/snap/a/#", 1));
        assertGranted(a.subscribe("contract/snap/gone", 1));
        assertGranted(a.subscribe("$share/contract-g/contract/snap/s", 1));
        assertGranted(b.subscribe("contract/snap/+/b", 0));
        Set<LocalSubscription> expected = new HashSet<>(List.of(
                new LocalSubscription("contract-snap-a", "contract/snap/a/#"),
                new LocalSubscription("contract-snap-a", "$share/contract-g/contract/snap/s"),
                new LocalSubscription("contract-snap-b", "contract/snap/+/b")));
        if (harness.supportsQueueSubscriptions()) {
            assertGranted(b.subscribe("$queue/contract/snap/q", 1));
            expected.add(new LocalSubscription("contract-snap-b", "$queue/contract/snap/q"));
        }
        a.unsubscribe("contract/snap/gone");
        awaitEvent(
                "onUnsubscribe(contract/snap/gone)",
                () -> hooks.any(Unsubscribed.class, e -> e.subscription().equals("contract/snap/gone")));

        awaitEvent("forEachSubscription lists exactly " + expected, () -> expected.equals(snapshot("contract-snap-")));
        for (LocalSubscription s : snapshot("contract-snap-")) {
            s.parse();
        }
    }

    @Test
    void forEachSubscription_afterSessionEnd_omitsItsSubscriptions() throws Exception {
        TestClient a = harness.connectClient("contract-snap-end");
        assertGranted(a.subscribe("contract/snap/end", 1));
        awaitEvent(
                "the subscription is listed",
                () -> !snapshot("contract-snap-end").isEmpty());

        a.disconnect();

        awaitEvent(
                "forEachSubscription no longer lists the ended session",
                () -> snapshot("contract-snap-end").isEmpty());
    }
}
