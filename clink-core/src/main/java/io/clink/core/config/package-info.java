/**
 * Loading clink's configuration from HOCON files in EMQX's shape, and reading a runner's or adapter's own
 * keys of the same file with the same error messages.
 *
 * @since 0.1.0
 */
@NullMarked
package io.clink.core.config;

import org.jspecify.annotations.NullMarked;
