/**
 * Test fixtures for clink and for broker authors: {@link io.clink.testkit.ManualTime} (a ticker, scheduler and
 * executor that move only when a test moves them), an in-memory link network and {@link
 * io.clink.api.transport.LinkTransport} ({@link io.clink.testkit.InMemoryLinkNetwork}), a {@link
 * io.clink.testkit.FakeLocalBroker}, a {@link io.clink.testkit.RecordingBroker}, a {@link
 * io.clink.testkit.RecordingHooks}, an {@link io.clink.testkit.InMemoryIncarnationStore} and the {@link
 * io.clink.api.broker.LocalBroker} contract suite ({@link io.clink.testkit.LocalBrokerContract}) that an adapter's
 * tests extend. For tests on real threads and sockets: {@link io.clink.testkit.Await}, and the subpackages {@code
 * mqtt} (an MQTT 5 test client), {@code net} (free ports, a fault-injecting proxy) and {@code tls} (a test PKI).
 * For decoder tests: the subpackage {@code payload} (zlib streams and decompression bombs).
 *
 * <p>The module depends on {@code clink-api} only (plus Eclipse Paho and BouncyCastle for the MQTT client and the
 * PKI), so clink-core's own tests use it too.
 *
 * <p>Everything here is non-null unless annotated {@code @Nullable}.
 *
 * @since 0.1.0
 */
@NullMarked
package io.clink.testkit;

import org.jspecify.annotations.NullMarked;
