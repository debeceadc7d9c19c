package io.clink.api.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface that clink implements and integrators only call, such as the hooks a broker adapter invokes.
 *
 * <p>Such interfaces may gain abstract methods in any release, which would break a foreign implementation; that is
 * why implementing them is not supported. Where an instance comes back into clink, clink may reject an
 * implementation it did not create with an {@link IllegalArgumentException}. Test doubles (mocks) are fine.
 *
 * @since 0.1.0
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface DoNotImplement {}
