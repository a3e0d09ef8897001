package org.voxelwise.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.dicom.DicomIndex;
import org.voxelwise.imaging.dicom.DicomScanner;
import org.voxelwise.imaging.dicom.LoadedSeries;
import org.voxelwise.imaging.dicom.SeriesLoader;
import org.voxelwise.imaging.progress.ProgressListener;

/**
 * Loading an uncompressed 512×512×{@code slices} CT series (files in the page cache, JIT warm),
 * against reading the same files' bytes in the same run.
 *
 * <ul>
 *   <li>{@link #scan}: {@link DicomScanner#scan} of the folder (headers only).
 *   <li>{@link #load}: {@link SeriesLoader#load} of the scanned series into a volume in HU.
 *   <li>{@link #readBytes}: the baseline, every file read whole into memory, on as many threads as
 *       the loader uses (all cores).
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class DicomLoadBenchmark {
  /** Number of slices of the series. */
  @Param("300")
  public int slices;

  private Path dir;
  private List<Path> files;
  private DicomIndex.Series series;

  /** Writes the series into a temporary folder and scans it once. */
  @Setup(Level.Trial)
  public void writeSeries() throws IOException, BadInputException {
    dir = Files.createTempDirectory("voxelwise-bench");
    files = SeriesFixture.write(dir, slices);
    series = DicomScanner.scan(dir, ProgressListener.NONE).allSeries().get(0);
    if (series.instances().size() != slices) {
      throw new IllegalStateException("scan found " + series.instances().size() + " slices");
    }
  }

  /** Deletes the series. */
  @TearDown(Level.Trial)
  public void deleteSeries() throws IOException {
    SeriesFixture.delete(dir, files);
  }

  /** Scans the folder: headers only. */
  @Benchmark
  public DicomIndex scan() throws BadInputException {
    return DicomScanner.scan(dir, ProgressListener.NONE);
  }

  /** Loads the scanned series into a volume. */
  @Benchmark
  public LoadedSeries load() throws BadInputException {
    return SeriesLoader.load(series, ProgressListener.NONE);
  }

  /** Baseline: reads every file's bytes, in parallel on all cores; returns the total length. */
  @Benchmark
  public long readBytes() {
    ForkJoinPool pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
    try {
      return pool.submit(
              () ->
                  files.parallelStream()
                      .mapToLong(
                          f -> {
                            try {
                              byte[] b = Files.readAllBytes(f);
                              return b.length + b[b.length - 1];
                            } catch (IOException e) {
                              throw new UncheckedIOException(e);
                            }
                          })
                      .sum())
          .join();
    } finally {
      pool.shutdown();
    }
  }
}
