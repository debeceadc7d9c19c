package io.clink.testkit.selfcheck;

import io.clink.testkit.FakeBrokerHarness;
import io.clink.testkit.FakeLocalBroker;
import io.clink.testkit.LocalBrokerContract;
import io.clink.testkit.LocalBrokerHarness;

/**
 * Runs the contract suite against {@link FakeLocalBroker}, from another package than the suite, exactly as a broker
 * author's test would (the inherited test methods are package-private in the suite's package).
 */
class FakeLocalBrokerContractTest extends LocalBrokerContract {

    @Override
    protected LocalBrokerHarness createHarness() {
        return new FakeBrokerHarness();
    }
}
