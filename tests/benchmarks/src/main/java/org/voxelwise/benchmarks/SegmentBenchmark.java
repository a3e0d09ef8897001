package org.voxelwise.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.dicom.CtSeriesWriter;
import org.voxelwise.imaging.dicom.DicomIndex;
import org.voxelwise.imaging.dicom.DicomScanner;
import org.voxelwise.imaging.dicom.LoadedSeries;
import org.voxelwise.imaging.dicom.SegmentationSource;
import org.voxelwise.imaging.dicom.SegmentationWriter;
import org.voxelwise.imaging.dicom.SeriesLoader;
import org.voxelwise.imaging.nifti.NiftiWriter;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.simulate.AbdominalPhantom;
import org.voxelwise.imaging.volume.LiverTumorLabels;
import org.voxelwise.segmentation.engine.DeviceChoice;
import org.voxelwise.segmentation.engine.DjlEnvironment;
import org.voxelwise.segmentation.hdenseunet.HDenseUNetModelDirectory;
import org.voxelwise.segmentation.hdenseunet.LiverTumorSegmenter;

/**
 * Liver/tumor segmentation of a 512×512×SLICES DICOM CT end to end, as {@code voxelwise segment}
 * does it, with the built-in model on the CPU: time of each stage, total, ratio to loading the
 * series (the baseline, in the same process), and peak memory — Java heap and process RSS (PyTorch
 * allocates natively, outside the heap).
 *
 * <p>The series is an abdominal phantom ({@link AbdominalPhantom}, held-out seed {@value #SEED},
 * 0.75 × 0.75 × 1 mm, 384 × 384 × SLICES mm) written by a child JVM, so that the memory of making
 * it does not count. Then, in this process: the series is loaded twice (the second load is the
 * baseline), the model is loaded once, and {@code runs} segmentations run one after the other. The
 * first run includes the model's one-time warm-up (a stage of its own); the others are warm. Each
 * run is what the command does: scan and load the series ({@code read}), the segmenter's stages,
 * write {@code labels.nii.gz} and {@code seg.dcm} ({@code write}).
 *
 * <p>Memory per run: the heap's peak is the sum of the peaks of the heap pools (reset before the
 * run; an upper bound of the heap in use at once); the process peak is {@code VmHWM} of {@code
 * /proc/self/status}, reset before the run by writing 5 to {@code /proc/self/clear_refs} (so it
 * includes the heap the JVM had already reserved, which it does not give back).
 */
final class SegmentBenchmark {
  /** A seed of the held-out range (≥ 10 000): never a training case. */
  static final long SEED = 10_000;

  private static final double[] SPACING_MM = {0.75, 0.75, 1.0};

  private SegmentBenchmark() {}

  /** Writes the phantom series into {@code dir}: what the child JVM runs. */
  static void writeFixture(Path dir, int slices) throws IOException {
    AbdominalPhantom.Study study =
        AbdominalPhantom.generate(
            AbdominalPhantom.Parameters.defaults()
                .withSize(SeriesFixture.SIZE, SeriesFixture.SIZE, slices)
                .withSpacing(SPACING_MM),
            SEED);
    CtSeriesWriter.write(
        study.ct(),
        dir,
        CtSeriesWriter.Options.builder().uidSeed("segment-benchmark").build(),
        ProgressListener.NONE);
  }

  /** Runs the benchmark and prints the results. */
  static void run(int runs, int slices) throws Exception {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    System.out.printf(
        Locale.ROOT,
        "segment benchmark: %d×%d×%d CT, %d runs, %d cores, load average %.2f, max heap %.1f GB%n",
        SeriesFixture.SIZE,
        SeriesFixture.SIZE,
        slices,
        runs,
        Runtime.getRuntime().availableProcessors(),
        os.getSystemLoadAverage(),
        Runtime.getRuntime().maxMemory() / 1e9);
    Path dir = Files.createTempDirectory("voxelwise-segment-bench");
    try {
      Path series = dir.resolve("ct");
      long t = System.nanoTime();
      writeFixtureInChildJvm(series, slices);
      System.out.printf(
          Locale.ROOT, "series written by a child JVM in %.1f s%n", (System.nanoTime() - t) / 1e9);
      measure(series, dir.resolve("out"), runs);
    } finally {
      deleteTree(dir);
    }
  }

  private static void measure(Path series, Path out, int runs) throws Exception {
    Files.createDirectories(out);
    DjlEnvironment.configure();
    load(series); // warms the JIT of the importer
    long t = System.nanoTime();
    load(series);
    double loadMs = (System.nanoTime() - t) / 1e6;
    System.out.printf(Locale.ROOT, "baseline: scan + load of the series %.0f ms%n", loadMs);

    t = System.nanoTime();
    Path model =
        HDenseUNetModelDirectory.builtIn()
            .orElseThrow(() -> new IllegalStateException("no built-in model on the class path"));
    try (LiverTumorSegmenter segmenter = LiverTumorSegmenter.open(model, DeviceChoice.CPU)) {
      System.out.printf(
          Locale.ROOT,
          "model %s %s loaded in %.0f ms (once per process)%n",
          segmenter.metadata().id(),
          segmenter.metadata().version(),
          (System.nanoTime() - t) / 1e6);
      for (int run = 1; run <= runs; run++) {
        resetPeaks();
        Map<String, Long> stages = runOnce(segmenter, series, out);
        long heapPeak = heapPeakBytes();
        long rssPeak = vmHwmBytes();
        long total = stages.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf(
            Locale.ROOT,
            "run %d%s: total %.1f s = %.1f × load; stages (ms) %s; peak heap %.2f GB, peak RSS"
                + " %.2f GB%n",
            run,
            run == 1 ? " (includes warm-up)" : "",
            total / 1e3,
            total / loadMs,
            stages,
            heapPeak / 1e9,
            rssPeak / 1e9);
      }
    }
  }

  /** One segmentation as {@code voxelwise segment} does it; milliseconds per stage. */
  private static Map<String, Long> runOnce(LiverTumorSegmenter segmenter, Path series, Path out)
      throws Exception {
    Map<String, Long> stages = new LinkedHashMap<>();
    long t = System.nanoTime();
    DicomIndex.Series scanned = scan(series);
    LoadedSeries loaded = SeriesLoader.load(scanned, ProgressListener.NONE);
    stages.put("read", (System.nanoTime() - t) / 1_000_000);
    LiverTumorSegmenter.Result r =
        segmenter.segment(loaded.volume(), series.toString(), ProgressListener.NONE);
    stages.putAll(r.timingsMs());
    t = System.nanoTime();
    NiftiWriter.write(r.labels(), out.resolve("labels.nii.gz"));
    SegmentationWriter.write(
        r.labels(),
        SegmentationSource.of(scanned, loaded.volume().geometry()),
        out.resolve("seg.dcm"),
        SegmentationWriter.Options.builder()
            .algorithm(SegmentationWriter.AlgorithmType.AUTOMATIC, segmenter.metadata().id())
            .build(),
        ProgressListener.NONE);
    stages.put("write", (System.nanoTime() - t) / 1_000_000);
    if (r.labels().count(LiverTumorLabels.LIVER) == 0) {
      System.out.println("warning: no liver found; the inference stage did not run fully");
    }
    return stages;
  }

  private static DicomIndex.Series scan(Path series) throws BadInputException {
    return DicomScanner.scan(series, ProgressListener.NONE).allSeries().get(0);
  }

  private static void load(Path series) throws BadInputException {
    SeriesLoader.load(scan(series), ProgressListener.NONE);
  }

  private static void writeFixtureInChildJvm(Path dir, int slices)
      throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Run.class.getName(),
                "segment-fixture",
                dir.toString(),
                Integer.toString(slices))
            .inheritIO()
            .start();
    if (p.waitFor() != 0) {
      throw new IOException("the child JVM writing the series failed: exit " + p.exitValue());
    }
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    } catch (IOException e) {
      System.out.println("warning: cannot reset VmHWM (" + e.getMessage() + "): process peak");
    }
  }

  private static long heapPeakBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  /** VmHWM (peak resident set size) of this process in bytes, or -1 where /proc is missing. */
  static long vmHwmBytes() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return -1;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmHWM:")) {
        String[] parts = line.substring(6).trim().split("\\s+");
        return Long.parseLong(parts[0]) * 1024;
      }
    }
    return -1;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
