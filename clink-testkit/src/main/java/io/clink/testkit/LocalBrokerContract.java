package io.clink.testkit;

import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.LocalBroker;

/**
 * The {@link LocalBroker} contract suite: every promise of the {@link LocalBroker} and {@link
 * io.clink.api.broker.ClusterLinkHooks} Javadoc, checked against a broker adapter. A broker author extends this class
 * in their tests and implements {@link #createHarness()}; JUnit 5 runs the inherited tests.
 *
 * <p>What it checks: subscription events after the grant (plain, shared, {@code $queue}), unsubscribe, the session
 * end of a clean-start client; {@link LocalBroker#forEachSubscription} lists the current subscriptions including
 * shared ones, as sent; {@link LocalBroker#deliver} reaches subscribers with QoS (downgraded to the subscription's),
 * properties, one member per share group, reaches present subscribers with a retained message but neither stores it
 * nor lets an empty one delete the broker's own retained message, and never comes back through {@code onPublish};
 * local publishes do; {@code $LINK/...} publishes go to {@code onLinkPublish} with their connection and
 * properties, are answered with its reason code, and are never delivered to any subscriber ({@code #}, {@code
 * $LINK/#}); {@link LocalBroker#reply} reaches the requesting connection's subscription, from inside {@code
 * onLinkPublish} and from another thread; {@link LocalBroker#disconnect} ends a connection with the given reason
 * code, is idempotent, and is followed by {@code onConnectionClosed} with an equal {@link LinkConnection}; a
 * reconnect gets a new connection id; hooks that throw do not break the broker.
 *
 * <p>And what adapters have got wrong before:
 * <ul>
 *   <li><b>Listener restriction</b> (required, no harness switch skips it): a {@code $LINK/#} subscription and a
 *       {@code $LINK/...} publish from a client on the ordinary listener are refused (a code of 0x80 or more, or the
 *       connection closed), never reach {@code onLinkPublish} or {@code onSubscribe}, and are delivered to nobody.
 *   <li><b>Session end at disconnect</b>: {@code onSessionEnd} comes after the client's subscription was reported,
 *       so a report made only at the clean-start CONNECT does not pass.
 *   <li><b>{@code $LINK} filters</b> (a link client's response topic, a spy's {@code $LINK/#}) are never reported
 *       to {@code onSubscribe} or {@code onUnsubscribe}.
 *   <li><b>QoS 2 link publishes</b> reach {@code onLinkPublish} exactly once and their PUBREC carries its code.
 *   <li><b>Topic aliases</b>: an MQTT 5 publish naming its topic by alias alone is reported with the real topic, to
 *       {@code onPublish} and to {@code onLinkPublish} (skipped only when the broker grants no aliases in CONNACK,
 *       since clients then never use them).
 *   <li><b>MQTT 3.1.1 clients</b>: subscribe, unsubscribe (no UNSUBACK codes), publish, delivery from {@link
 *       LocalBroker#deliver} and session end, reported like an MQTT 5 client's.
 *   <li><b>Keepalive</b>: a link connection with a 1 s keepalive carrying only {@code $LINK} publishes (every 250 ms
 *       for 4 s of {@link LocalBrokerHarness#elapse broker time}) stays up: link packets count as activity.
 *   <li><b>{@link LocalBroker#reply} reaches only the asking connection</b>: not another link connection subscribed
 *       to the same response topic, and not a newer connection of the same client id after a takeover.
 * </ul>
 *
 * <p>The tests are inherited from package-private classes, one per duty (subscriptions, delivery, link
 * connections) over a shared fixture; this class is the only one to extend.
 *
 * <p>Waiting: expected events are polled with {@link LocalBrokerHarness#settle()} between polls, for at most
 * {@link LocalBrokerHarness#timeout()}. Checks that something did <em>not</em> happen first wait for a later
 * sentinel message on the same path, then settle once more.
 *
 * @since 0.1.0
 */
public abstract class LocalBrokerContract extends LinkConnectionContract {

    /**
     * For subclasses.
     *
     * @since 0.1.0
     */
    protected LocalBrokerContract() {
        // Fields are set per test in setUp.
    }

    /**
     * Creates a fresh harness for one test.
     *
     * @return the harness; the suite starts it and closes it
     * @throws Exception if it cannot be created
     * @since 0.1.0
     */
    protected abstract LocalBrokerHarness createHarness() throws Exception;
}
