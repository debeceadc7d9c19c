/**
 * The parts of one broker node's cluster link that the {@link io.clink.core.ClusterLink} facade delegates to: broker
 * hook dispatch, link supervision, the periodic subscription resync, state-listener fan-out, the per-link runtime
 * they supervise, and the assembler that checks the builder's settings and wires these parts. Internal; no
 * compatibility promise.
 *
 * @since 0.1.0
 */
@NullMarked
package io.clink.core.internal.node;

import org.jspecify.annotations.NullMarked;
