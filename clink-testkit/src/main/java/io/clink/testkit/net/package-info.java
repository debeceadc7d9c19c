/**
 * Network fault injection for integration tests on loopback: {@link io.clink.testkit.net.FaultProxy}, a TCP proxy
 * that cuts, stalls, delays, throttles and refuses connections on command.
 *
 * <p>Everything here is non-null unless annotated {@code @Nullable}.
 *
 * @since 0.1.0
 */
@NullMarked
package io.clink.testkit.net;

import org.jspecify.annotations.NullMarked;
