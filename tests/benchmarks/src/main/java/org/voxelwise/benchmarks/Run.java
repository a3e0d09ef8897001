package org.voxelwise.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.voxelwise.imaging.dicom.DicomIndex;
import org.voxelwise.imaging.dicom.DicomScanner;
import org.voxelwise.imaging.dicom.LoadedSeries;
import org.voxelwise.imaging.dicom.SeriesLoader;
import org.voxelwise.imaging.progress.ProgressListener;

/**
 * Entry point of {@code benchmarks.jar}.
 *
 * <ul>
 *   <li>{@code java -jar benchmarks.jar memory [SLICES]}: writes a 512×512×SLICES series (600 by
 *       default), loads it and prints the bytes of the loaded volume and the growth of the used
 *       heap while it is held.
 *   <li>{@code java -jar benchmarks.jar variety [FROM TO]}: generates the abdominal CT phantom for
 *       seeds FROM..TO (1..100 by default) and prints the variety table of the imaging README.
 *   <li>{@code java -jar benchmarks.jar segment [RUNS [SLICES]]}: liver/tumor segmentation of a
 *       simulated 512×512×SLICES DICOM CT (300 by default) end to end with the built-in model, RUNS
 *       times (3 by default): stage times, ratio to loading the series, peak heap and RSS ({@link
 *       SegmentBenchmark}). Run it with {@code OMP_WAIT_POLICY=PASSIVE}.
 *   <li>{@code java -jar benchmarks.jar render-cpu [FRAMES]}: slice rendering with and without the
 *       label overlay timed by thread CPU time ({@link RenderCpuTime}).
 *   <li>{@code java -jar benchmarks.jar destreak DIR [MODEL_DIR]}: the destreak pipeline end to end
 *       on the 4D study in DIR ({@link DestreakBenchmark}).
 *   <li>anything else: passed to JMH ({@code org.openjdk.jmh.Main}), e.g. {@code DicomLoad}, {@code
 *       -l}, {@code -h}.
 * </ul>
 */
public final class Run {
  private Run() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("memory")) {
      memory(args.length > 1 ? Integer.parseInt(args[1]) : 600);
    } else if (args.length > 0 && args[0].equals("variety")) {
      AbdominalVariety.print(
          args.length > 1 ? Long.parseLong(args[1]) : 1,
          args.length > 2 ? Long.parseLong(args[2]) : 100);
    } else if (args.length > 0 && args[0].equals("segment")) {
      SegmentBenchmark.run(
          args.length > 1 ? Integer.parseInt(args[1]) : 3,
          args.length > 2 ? Integer.parseInt(args[2]) : 300);
    } else if (args.length == 3 && args[0].equals("segment-fixture")) {
      SegmentBenchmark.writeFixture(Path.of(args[1]), Integer.parseInt(args[2]));
    } else if (args.length > 0 && args[0].equals("render-cpu")) {
      RenderCpuTime.print(args.length > 1 ? Integer.parseInt(args[1]) : 2000);
    } else if (args.length > 0 && args[0].equals("destreak")) {
      DestreakBenchmark.main(Arrays.copyOfRange(args, 1, args.length));
    } else {
      org.openjdk.jmh.Main.main(args);
    }
  }

  private static void memory(int slices) throws Exception {
    Path dir = Files.createTempDirectory("voxelwise-bench");
    List<Path> files = SeriesFixture.write(dir, slices);
    try {
      DicomIndex.Series series = DicomScanner.scan(dir, ProgressListener.NONE).allSeries().get(0);
      long before = usedHeapAfterGc();
      LoadedSeries loaded = SeriesLoader.load(series, ProgressListener.NONE);
      long after = usedHeapAfterGc();
      System.out.printf(
          "512×512×%d: volume %d bytes (%.1f MB); used heap grew by %.1f MB while it is held;"
              + " geometry %s%n",
          slices,
          loaded.volume().sizeInBytes(),
          loaded.volume().sizeInBytes() / 1e6,
          (after - before) / 1e6,
          Arrays.toString(
              new int[] {
                loaded.volume().geometry().sizeX(),
                loaded.volume().geometry().sizeY(),
                loaded.volume().geometry().sizeZ()
              }));
    } finally {
      SeriesFixture.delete(dir, files);
    }
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
