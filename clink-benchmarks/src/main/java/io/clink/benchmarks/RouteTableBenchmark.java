package io.clink.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The set-up the route-table benchmarks share, so that their figures stay comparable: the same implementations, the
 * same index sizes, the same heap and iterations. JMH reads these annotations and parameters through the subclass.
 *
 * @since 0.1.0
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
public abstract class RouteTableBenchmark {

    /** The implementation under test. */
    @Param({"clink", "naive", "moquette", "hivemq"})
    public String impl;

    /** Routes in the index (for route churn, the stable ones). */
    @Param({"1000", "100000", "1000000"})
    public int routes;
}
