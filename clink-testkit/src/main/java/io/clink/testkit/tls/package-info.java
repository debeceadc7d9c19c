/**
 * A throwaway PKI for TLS tests: {@link io.clink.testkit.tls.TestPki} makes CAs, leaf certificates, PEM files and
 * client TLS contexts with BouncyCastle.
 *
 * <p>Everything here is non-null unless annotated {@code @Nullable}.
 *
 * @since 0.1.0
 */
@NullMarked
package io.clink.testkit.tls;

import org.jspecify.annotations.NullMarked;
