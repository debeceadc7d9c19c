package io.clink.benchmarks;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The set-up the end-to-end benchmarks over {@link LinkedBrokers} share: one fork with a fixed 2 GiB heap, the quiet
 * logging configuration, one second (instead of JMH's default) of waiting for leftover non-daemon threads when the
 * fork ends. JMH reads these annotations through the subclass, merging them attribute by attribute (so warm-up and
 * measurement, which differ per benchmark, stay on each subclass).
 *
 * @since 0.1.0
 */
@State(Scope.Benchmark)
@Fork(
        value = 1,
        jvmArgsAppend = {
            "-Xms2g",
            "-Xmx2g",
            "-Dlogback.configurationFile=logback-bench.xml",
            "-Djmh.shutdownTimeout=1",
            "-Djmh.shutdownTimeout.step=1"
        })
public abstract class E2eBenchmark {}
