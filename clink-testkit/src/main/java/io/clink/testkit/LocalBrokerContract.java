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
