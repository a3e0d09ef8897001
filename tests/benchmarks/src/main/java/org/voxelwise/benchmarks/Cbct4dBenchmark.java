package org.voxelwise.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.simulate.Cbct4dSimulator;

/**
 * One simulated 4D CBCT case ({@link Cbct4dSimulator#simulate}) at the default parameters: 10
 * phases of 256×256×64 from 600 projections, with the ground truth and the prior. One operation is
 * the whole case (projection, filtering, 10 back-projections, prior and 10 voxelised ground
 * truths); the target is 60 s on 2 cores. Single-shot: one warm-up case, then three measured cases,
 * in one fork with a 4 GB heap.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgs = "-Xmx4g")
public class Cbct4dBenchmark {
  /** Projections over the rotation. */
  @Param("600")
  public int projections;

  @Benchmark
  public Cbct4dSimulator.Result simulateDefaultCase() {
    return Cbct4dSimulator.simulate(
        Cbct4dSimulator.Parameters.defaults(1).withProjections(projections), ProgressListener.NONE);
  }
}
