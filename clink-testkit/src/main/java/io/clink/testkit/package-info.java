/**
 * Test fixtures for clink and for broker authors: {@link io.clink.testkit.ManualTime} (a ticker, scheduler and
 * executor that move only when a test moves them), an in-memory link network and {@link
 * io.clink.api.transport.LinkTransport} ({@link io.clink.testkit.InMemoryLinkNetwork}), a {@link
 * io.clink.testkit.FakeLocalBroker}, a {@link io.clink.testkit.RecordingHooks} and the {@link
 * io.clink.api.broker.LocalBroker} contract suite ({@link io.clink.testkit.LocalBrokerContract}) that an adapter's
 * tests extend.
 *
 * <p>Everything here is non-null unless annotated {@code @Nullable}.
 *
 * @since 0.1.0
 */
@NullMarked
package io.clink.testkit;

import org.jspecify.annotations.NullMarked;
