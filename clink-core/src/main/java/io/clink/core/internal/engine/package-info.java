/**
 * What engine components share, each as its own small type: the live configuration, injected time, serial
 * executors over the shared pool, per-link counters, guarded broker calls and link client options.
 */
@NullMarked
package io.clink.core.internal.engine;

import org.jspecify.annotations.NullMarked;
