/**
 * Reading HOCON configuration documents with EMQX's value conventions; shared by the loader and the broker.
 */
@NullMarked
package io.clink.core.internal.config;

import org.jspecify.annotations.NullMarked;
