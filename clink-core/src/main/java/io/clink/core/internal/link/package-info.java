/**
 * Local route tracking: reference counts per filter and route id, and what each link replicates.
 */
@NullMarked
package io.clink.core.internal.link;

import org.jspecify.annotations.NullMarked;
