/**
 * Annotations that document how a public clink type may be used: whether integrators implement it ({@link
 * io.clink.api.annotation.Evolving}) or only call it ({@link io.clink.api.annotation.DoNotImplement}).
 *
 * @since 0.1.0
 */
@NullMarked
package io.clink.api.annotation;

import org.jspecify.annotations.NullMarked;
