/** Implementation of the Paho transport; not API. */
@NullMarked
package io.clink.paho.internal;

import org.jspecify.annotations.NullMarked;
