package io.clink.api.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a service-provider interface that integrators implement and whose shape may still change before clink
 * 1.0. New methods are added as {@code default} methods where a sensible default exists; a release that must add an
 * abstract method or change a signature says so in the changelog.
 *
 * @since 0.1.0
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Evolving {}
