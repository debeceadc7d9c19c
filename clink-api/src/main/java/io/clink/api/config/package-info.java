/**
 * The configuration model of cluster linking: {@link io.clink.api.config.ClusterLinkConfig} (the local cluster's
 * name and its links) and {@link io.clink.api.config.LinkConfig} (one link, with every field of EMQX's link schema,
 * protocol document section 5, and clink's own additions).
 *
 * <p>Every type is immutable and built by a validating builder: each setter checks its own value at once and throws
 * {@link io.clink.api.config.InvalidConfigException} naming the option and the value; {@code build()} checks what
 * involves several options, and that no option was set twice. Each option's name, documentation and default live
 * together in a {@link io.clink.api.config.ConfigOption} constant.
 *
 * <p>Everything here is non-null unless annotated {@code @Nullable}.
 *
 * @since 0.1.0
 */
@NullMarked
package io.clink.api.config;

import org.jspecify.annotations.NullMarked;
