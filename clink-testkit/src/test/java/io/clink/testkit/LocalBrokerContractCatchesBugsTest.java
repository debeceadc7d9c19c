package io.clink.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clink.api.broker.ClusterLinkHooks;
import io.clink.api.broker.LinkConnection;
import io.clink.api.broker.LocalBroker;
import io.clink.api.broker.LocalSubscription;
import io.clink.api.broker.MqttMessage;
import io.clink.api.broker.PublishProperties;
import io.clink.testkit.FakeLocalBroker.Fault;
import java.time.Duration;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Plants one bug at a time in an adapter and checks that the contract test written for that promise fails, so the
 * suite cannot pass a broken adapter.
 */
class LocalBrokerContractCatchesBugsTest {

    /** Calls one contract test against an adapter built by {@code adapter}; returns the failure. */
    private static AssertionError runFailing(
            BiFunction<FakeLocalBroker, ClusterLinkHooks, LocalBroker> adapter,
            Consumer<FakeLocalBroker> breakFake,
            ContractTest test)
            throws Exception {
        FakeBrokerHarness harness = new FakeBrokerHarness(adapter, Duration.ofMillis(200));
        breakFake.accept(harness.fake());
        LocalBrokerContract suite = new PlantedBugSuite(harness);
        suite.setUpBroker();
        try {
            return assertThrows(AssertionError.class, () -> test.run(suite));
        } finally {
            suite.tearDownBroker();
        }
    }

    @FunctionalInterface
    private interface ContractTest {
        void run(LocalBrokerContract suite) throws Exception;
    }

    private static BiFunction<FakeLocalBroker, ClusterLinkHooks, LocalBroker> wrap(
            java.util.function.Function<Delegating, LocalBroker> f) {
        return (fake, hooks) -> {
            fake.attach(hooks);
            return f.apply(new Delegating(fake, hooks));
        };
    }

    @Test
    void suite_linkListenerNamesNotTheOneReported_failsListenerReportTest() throws Exception {
        AssertionError e = runFailing(
                wrap(d -> new Delegating(d.fake, d.hooks) {
                    @Override
                    public java.util.Set<String> linkListenerNames() {
                        return java.util.Set.of("no-such-listener");
                    }
                }),
                f -> {},
                LocalBrokerContract::linkPublish_connection_reportsOneOfTheAdaptersLinkListeners);
        assertTrue(e.getMessage().contains("clink would refuse its link publishes"), e.getMessage());
    }

    @Test
    void suite_deliverReintercepts_failsNoLoopTest() throws Exception {
        AssertionError e = runFailing(
                wrap(d -> new Delegating(d.fake, d.hooks) {
                    @Override
                    public void deliver(MqttMessage message) {
                        super.deliver(message);
                        hooks.onPublish(message);
                    }
                }),
                f -> {},
                LocalBrokerContract::deliver_anyMessage_neverReportedToOnPublish);
        assertTrue(e.getMessage().contains("bypass publish interception"), e.getMessage());
    }

    @Test
    void suite_deliverStoresRetainedMessages_failsRetainedStoreTest() throws Exception {
        // As HiveMQ's PublishService.publish does with the retain flag: store, and delete on an empty payload.
        AssertionError e = runFailing(
                wrap(d -> new Delegating(d.fake, d.hooks) {
                    private int publishers;

                    @Override
                    public void deliver(MqttMessage message) {
                        if (!message.retain()) {
                            super.deliver(message);
                            return;
                        }
                        fake.connect("planted-retainer-" + publishers++)
                                .publish(message.topic(), message.payloadBytes(), message.qos(), true);
                    }
                }),
                f -> {},
                LocalBrokerContract::deliver_retainedMessage_reachesCurrentSubscribersButNotTheRetainedStore);
        assertTrue(e.getMessage().contains("must not delete it"), e.getMessage());
    }

    @Test
    void suite_snapshotMissesSharedSubscriptions_failsSnapshotTest() throws Exception {
        runFailing(
                wrap(d -> new Delegating(d.fake, d.hooks) {
                    @Override
                    public void forEachSubscription(Consumer<? super LocalSubscription> action) {
                        super.forEachSubscription(s -> {
                            if (!s.subscription().startsWith("$")) {
                                action.accept(s);
                            }
                        });
                    }
                }),
                f -> {},
                LocalBrokerContract::forEachSubscription_afterChanges_listsCurrentSubscriptionsIncludingShared);
    }

    @Test
    void suite_sessionEndNotReported_failsSessionEndTest() throws Exception {
        runFailing(
                FakeBrokerHarness.ATTACH,
                f -> f.loseSessionEndEvents(true),
                LocalBrokerContract::onSessionEnd_cleanStartClientDisconnects_reported);
    }

    @Test
    void suite_queueSupportNotDeclared_failsQueueDeclarationTest() throws Exception {
        // An adapter for an EMQX-like broker that forgot to override the default (false).
        AssertionError e = runFailing(
                wrap(d -> new Delegating(d.fake, d.hooks) {
                    @Override
                    public boolean supportsQueueSubscriptions() {
                        return false;
                    }
                }),
                f -> {},
                LocalBrokerContract::supportsQueueSubscriptions_declaredAsTheBrokerBehaves);
        assertTrue(e.getMessage().contains("supportsQueueSubscriptions"), e.getMessage());
    }

    @Test
    void suite_unsubscribeNotReported_failsUnsubscribeTest() throws Exception {
        runFailing(
                FakeBrokerHarness.ATTACH,
                f -> f.loseUnsubscribeEvents(true),
                LocalBrokerContract::onUnsubscribe_afterUnsubscribe_reportedAsSubscribed);
    }

    @Test
    void suite_replyDropped_failsReplyTest() throws Exception {
        runFailing(
                wrap(d -> new Delegating(d.fake, d.hooks) {
                    @Override
                    public void reply(LinkConnection connection, MqttMessage reply) {
                        // The bug: the handshake answer goes nowhere.
                    }
                }),
                f -> {},
                LocalBrokerContract::reply_fromAnotherThreadAfterOnLinkPublish_reachesTheConnection);
    }

    @Test
    void suite_disconnectIgnoresReasonCode_failsDisconnectTest() throws Exception {
        AssertionError e = runFailing(
                wrap(d -> new Delegating(d.fake, d.hooks) {
                    @Override
                    public void disconnect(LinkConnection connection, int reasonCode, String reasonString) {
                        super.disconnect(connection, 0x80, reasonString);
                    }
                }),
                f -> {},
                LocalBrokerContract::disconnect_fromAnotherThread_endsConnectionWithCodeAndIsIdempotent);
        assertTrue(e.getMessage().contains("0x80"), e.getMessage());
    }

    @Test
    void suite_disconnectDoesNothing_failsDisconnectInsideTest() throws Exception {
        runFailing(
                wrap(d -> new Delegating(d.fake, d.hooks) {
                    @Override
                    public void disconnect(LinkConnection connection, int reasonCode, String reasonString) {
                        // The bug: the connection stays.
                    }
                }),
                f -> {},
                LocalBrokerContract::disconnect_fromInsideOnLinkPublish_endsConnectionWithCodeThenReportsClose);
    }

    @Test
    void suite_linkPublishAlsoDelivered_failsConsumedTest() throws Exception {
        AssertionError e = runFailing(
                (fake, hooks) -> {
                    fake.attach(new ForwardingHooks(hooks) {
                        @Override
                        public int onLinkPublish(
                                LinkConnection connection, String topic, byte[] payload, PublishProperties properties) {
                            // The bug: the broker lets the $LINK publish through to subscribers as well.
                            fake.deliver(MqttMessage.builder()
                                    .topic(topic)
                                    .payload(payload)
                                    .timestampMillis(1)
                                    .build());
                            return super.onLinkPublish(connection, topic, payload, properties);
                        }
                    });
                    return fake;
                },
                f -> {},
                LocalBrokerContract::linkPublish_anyLinkTopic_neverDeliveredToSubscribersNorOnPublish);
        assertTrue(e.getMessage().contains("never delivered"), e.getMessage());
    }

    @Test
    void suite_linkPublishAnsweredWithFixedCode_failsReasonCodeTest() throws Exception {
        runFailing(
                (fake, hooks) -> {
                    fake.attach(new ForwardingHooks(hooks) {
                        @Override
                        public int onLinkPublish(
                                LinkConnection connection, String topic, byte[] payload, PublishProperties properties) {
                            super.onLinkPublish(connection, topic, payload, properties);
                            return 0;
                        }
                    });
                    return fake;
                },
                f -> {},
                LocalBrokerContract::linkPublish_qos1_answeredWithTheHooksReasonCode);
    }

    // ------------------------------------------------------------------ the strengthened contract (#13)

    @Test
    void suite_linkTopicsAcceptedOnEveryListener_failsListenerTest() throws Exception {
        AssertionError e = runFailing(
                FakeBrokerHarness.ATTACH,
                f -> f.linkListeners(Set.of()),
                LocalBrokerContract::linkTopics_onAnOrdinaryListener_publishAndSubscribeRefused);
        assertTrue(e.getMessage().contains("outside the link listener must be refused"), e.getMessage());
    }

    @Test
    void suite_sessionEndReportedOnlyAtConnect_failsSessionEndTest() throws Exception {
        AssertionError e = runFailing(
                FakeBrokerHarness.ATTACH,
                f -> f.plant(Fault.SESSION_END_AT_CONNECT_ONLY, true),
                LocalBrokerContract::onSessionEnd_cleanStartClientDisconnects_reported);
        assertTrue(e.getMessage().contains("the session ends at disconnect"), e.getMessage());
    }

    @Test
    void suite_linkFiltersReported_failsLinkFilterTest() throws Exception {
        AssertionError e = runFailing(
                FakeBrokerHarness.ATTACH,
                f -> f.plant(Fault.LINK_FILTERS_REPORTED, true),
                LocalBrokerContract::linkFilters_subscribedAndUnsubscribed_neverReported);
        assertTrue(e.getMessage().contains("never reported to onSubscribe"), e.getMessage());
    }

    @Test
    void suite_qos2LinkPublishReportedTwice_failsQos2Test() throws Exception {
        AssertionError e = runFailing(
                FakeBrokerHarness.ATTACH,
                f -> f.plant(Fault.QOS2_LINK_PUBLISH_REPORTED_TWICE, true),
                LocalBrokerContract::linkPublish_qos2_reachesOnLinkPublishOnceAndIsAnsweredWithItsCode);
        assertTrue(e.getMessage().contains("exactly once"), e.getMessage());
    }

    @Test
    void suite_qos2LinkPublishAnsweredWithFixedCode_failsQos2Test() throws Exception {
        AssertionError e = runFailing(
                (fake, hooks) -> {
                    fake.attach(new ForwardingHooks(hooks) {
                        @Override
                        public int onLinkPublish(
                                LinkConnection connection, String topic, byte[] payload, PublishProperties properties) {
                            super.onLinkPublish(connection, topic, payload, properties);
                            // The bug: PUBREC always says success, as the broker's own QoS 2 flow would.
                            return 0;
                        }
                    });
                    return fake;
                },
                f -> {},
                LocalBrokerContract::linkPublish_qos2_reachesOnLinkPublishOnceAndIsAnsweredWithItsCode);
        assertTrue(e.getMessage().contains("PUBREC must carry"), e.getMessage());
    }

    @Test
    void suite_topicAliasesUnresolved_failsLocalAliasTest() throws Exception {
        AssertionError e = runFailing(
                FakeBrokerHarness.ATTACH,
                f -> f.plant(Fault.TOPIC_ALIASES_UNRESOLVED, true),
                LocalBrokerContract::onPublish_topicAlias_reportedWithTheRealTopic);
        assertTrue(e.getMessage().contains("by alias alone"), e.getMessage());
    }

    @Test
    void suite_topicAliasesUnresolved_failsLinkAliasTest() throws Exception {
        AssertionError e = runFailing(
                FakeBrokerHarness.ATTACH,
                f -> f.plant(Fault.TOPIC_ALIASES_UNRESOLVED, true),
                LocalBrokerContract::linkPublish_topicAlias_reportedWithTheRealTopic);
        assertTrue(e.getMessage().contains("by alias alone"), e.getMessage());
    }

    @Test
    void suite_mqtt311UnsubscribeUnreported_failsMqtt311SubscriptionTest() throws Exception {
        AssertionError e = runFailing(
                FakeBrokerHarness.ATTACH,
                f -> f.plant(Fault.MQTT311_UNSUBSCRIBE_UNREPORTED, true),
                LocalBrokerContract::mqtt311Client_subscribeDeliverUnsubscribeDisconnect_reportedLikeMqtt5);
        assertTrue(e.getMessage().contains("its UNSUBACK has no codes"), e.getMessage());
    }

    @Test
    void suite_mqtt311PublishUnreported_failsMqtt311PublishTest() throws Exception {
        AssertionError e = runFailing(
                FakeBrokerHarness.ATTACH,
                f -> f.plant(Fault.MQTT311_PUBLISH_UNREPORTED, true),
                LocalBrokerContract::onPublish_mqtt311Client_reportedWithPublisherTopicPayloadAndQos);
        assertTrue(e.getMessage().contains("of an MQTT 3.1.1 client"), e.getMessage());
    }

    @Test
    void suite_linkTrafficNotCountedAsKeepalive_failsKeepaliveTest() throws Exception {
        AssertionError e = runFailing(
                FakeBrokerHarness.ATTACH,
                f -> f.plant(Fault.LINK_TRAFFIC_NOT_KEEPALIVE, true),
                LocalBrokerContract::linkConnection_onlyLinkTraffic_staysAlivePastItsKeepalive);
        assertTrue(e.getMessage().contains("link packets must count as activity"), e.getMessage());
    }

    @Test
    void suite_defaultReplyToEverySubscriber_failsTwoConnectionsReplyTest() throws Exception {
        AssertionError e = runFailing(
                wrap(d -> new Delegating(d.fake, d.hooks) {
                    @Override
                    public void reply(LinkConnection connection, MqttMessage reply) {
                        // The bug: LocalBroker's default, a publish every subscriber of the response topic gets.
                        deliver(reply);
                    }
                }),
                f -> {},
                LocalBrokerContract::reply_twoConnectionsOnTheResponseTopic_reachesOnlyTheAskingOne);
        assertTrue(e.getMessage().contains("asking connection only"), e.getMessage());
    }

    @Test
    void suite_replyByClientId_failsTakenOverReplyTest() throws Exception {
        AssertionError e = runFailing(
                FakeBrokerHarness.ATTACH,
                f -> f.plant(Fault.REPLY_BY_CLIENT_ID, true),
                LocalBrokerContract::reply_toAConnectionTakenOver_neverReachesTheClientIdsNewConnection);
        assertTrue(e.getMessage().contains("must not reach the new connection"), e.getMessage());
    }

    /** Hooks passing every call on; tests override one method to plant a bug in the broker's use of them. */
    private static class ForwardingHooks implements ClusterLinkHooks {
        private final ClusterLinkHooks delegate;

        ForwardingHooks(ClusterLinkHooks delegate) {
            this.delegate = delegate;
        }

        @Override
        public void onSubscribe(String clientId, String subscription) {
            delegate.onSubscribe(clientId, subscription);
        }

        @Override
        public void onUnsubscribe(String clientId, String subscription) {
            delegate.onUnsubscribe(clientId, subscription);
        }

        @Override
        public void onSessionEnd(String clientId) {
            delegate.onSessionEnd(clientId);
        }

        @Override
        public void onPublish(MqttMessage message) {
            delegate.onPublish(message);
        }

        @Override
        public int onLinkPublish(
                LinkConnection connection, String topic, byte[] payload, PublishProperties properties) {
            return delegate.onLinkPublish(connection, topic, payload, properties);
        }

        @Override
        public void onConnectionClosed(LinkConnection connection) {
            delegate.onConnectionClosed(connection);
        }
    }

    /** An adapter delegating everything to the fake; tests override one method to plant a bug. */
    private static class Delegating implements LocalBroker {
        final FakeLocalBroker fake;
        final ClusterLinkHooks hooks;

        Delegating(FakeLocalBroker fake, ClusterLinkHooks hooks) {
            this.fake = fake;
            this.hooks = hooks;
        }

        @Override
        public void forEachSubscription(Consumer<? super LocalSubscription> action) {
            fake.forEachSubscription(action);
        }

        @Override
        public boolean supportsQueueSubscriptions() {
            return fake.supportsQueueSubscriptions();
        }

        @Override
        public void deliver(MqttMessage message) {
            fake.deliver(message);
        }

        @Override
        public void disconnect(LinkConnection connection, int reasonCode, String reasonString) {
            fake.disconnect(connection, reasonCode, reasonString);
        }

        @Override
        public void reply(LinkConnection connection, MqttMessage reply) {
            fake.reply(connection, reply);
        }
    }
}
