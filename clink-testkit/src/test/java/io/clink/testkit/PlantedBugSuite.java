package io.clink.testkit;

import org.junit.jupiter.api.Disabled;

/**
 * The contract suite over one prepared harness, for {@link LocalBrokerContractCatchesBugsTest}, which calls its test
 * methods directly. Not named {@code *Test} and disabled, so no test run picks it up on its own.
 */
@Disabled("driven method by method by LocalBrokerContractCatchesBugsTest")
final class PlantedBugSuite extends LocalBrokerContract {
    private final LocalBrokerHarness prepared;

    PlantedBugSuite(LocalBrokerHarness prepared) {
        this.prepared = prepared;
    }

    @Override
    protected LocalBrokerHarness createHarness() {
        return prepared;
    }
}
