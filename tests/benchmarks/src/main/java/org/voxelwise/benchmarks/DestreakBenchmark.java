package org.voxelwise.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.voxelwise.imaging.dicom.Cbct4dStudy;
import org.voxelwise.imaging.dicom.DerivedPhasesWriter;
import org.voxelwise.imaging.dicom.DicomScanner;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.volume.Volume4D;
import org.voxelwise.segmentation.engine.DeviceChoice;
import org.voxelwise.segmentation.rstar.StreakReducer;

/**
 * The {@code destreak} pipeline end to end, timed once on a real study: read the 4D study (scan +
 * {@link Cbct4dStudy#assemble}), open the model, {@link StreakReducer#reduce} on the CPU, write the
 * derived study ({@link DerivedPhasesWriter}). Not a JMH benchmark: one run of about a minute is
 * what a user waits for, and its peak memory is what matters.
 *
 * <p>{@code destreak DIR [MODEL_DIR]}: DIR holds a 4D study, e.g. the 10 phases of 256×256×64 and
 * the prior that {@code voxelwise simulate cbct4d --seed 1 --out DIR} writes. Run in a fresh JVM,
 * it reads the study twice (the first read warms the JIT and the page cache; the second is the
 * <em>load baseline</em>), then runs the pipeline with the model folder (default: the built-in
 * model), and prints the time of each stage, its ratio to the baseline, the peak Java heap (sum of
 * the heap pools' peaks, {@link MemoryPoolMXBean}) and the process's peak resident memory ({@code
 * VmHWM} of {@code /proc/self/status}, which includes PyTorch's native memory).
 */
final class DestreakBenchmark {
  private DestreakBenchmark() {}

  static void main(String[] args) throws Exception {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: destreak DIR [MODEL_DIR]");
      System.exit(2);
    }
    run(Path.of(args[0]), args.length > 1 ? Path.of(args[1]) : null);
  }

  private static Cbct4dStudy read(Path dir) throws Exception {
    return Cbct4dStudy.assemble(
        dir, DicomScanner.scan(dir, ProgressListener.NONE), ProgressListener.NONE);
  }

  /** Progress on stderr at most every 10 s, with the seconds since {@code startNanos}. */
  private static ProgressListener everyTenSeconds(long startNanos) {
    AtomicLong last = new AtomicLong();
    return (fraction, message) -> {
      long now = System.nanoTime();
      long before = last.get();
      if (now - before > 10_000_000_000L && last.compareAndSet(before, now)) {
        System.err.printf(
            Locale.ROOT,
            "%6.1f s  %3.0f%%  %s  (%s; load %s)%n",
            (now - startNanos) / 1e9,
            fraction * 100,
            message,
            residentMemory(),
            loadAverage());
      }
    };
  }

  private static void run(Path dir, Path model) throws Exception {
    read(dir); // warm-up
    Map<String, Long> ms = new LinkedHashMap<>();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    long t0 = System.nanoTime();
    Cbct4dStudy study = read(dir);
    long t1 = System.nanoTime();
    ms.put("read (baseline)", (t1 - t0) / 1_000_000);
    Path out = Files.createTempDirectory("voxelwise-destreak-bench");
    try (StreakReducer reducer = StreakReducer.open(model, DeviceChoice.CPU)) {
      long t2 = System.nanoTime();
      ms.put("loadModel", (t2 - t1) / 1_000_000);
      Volume4D corrected = reducer.reduce(study.phases(), study.prior(), everyTenSeconds(t2));
      long t3 = System.nanoTime();
      ms.put("reduce", (t3 - t2) / 1_000_000);
      reducer.timingsMs().forEach((k, v) -> ms.put("  reduce/" + k, v));
      DerivedPhasesWriter.write(
          study,
          corrected,
          out.resolve("dicom"),
          new DerivedPhasesWriter.Derivation("RSTAR4D", "benchmark", LocalDateTime.now()),
          ProgressListener.NONE);
      long t4 = System.nanoTime();
      ms.put("write", (t4 - t3) / 1_000_000);
      ms.put("total", (t4 - t0) / 1_000_000);
      System.out.printf(
          Locale.ROOT,
          "%d phases of %s, model %s %s on %s, %d processors%n",
          study.phases().phaseCount(),
          study.phases().geometry(),
          reducer.modelId(),
          reducer.modelVersion(),
          reducer.deviceName(),
          Runtime.getRuntime().availableProcessors());
    } finally {
      try (var files = Files.walk(out)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    double baseline = ms.get("read (baseline)");
    ms.forEach(
        (k, v) ->
            System.out.printf(Locale.ROOT, "%-22s %9d ms  %7.1f× read%n", k, v, v / baseline));
    long heapPeak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPeak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.printf(Locale.ROOT, "Java heap peak (sum of pool peaks): %.0f MB%n", heapPeak / 1e6);
    System.out.println("process memory: " + residentMemory());
    System.out.println("load average: " + loadAverage());
  }

  /** VmRSS (resident now) and VmHWM (peak resident) of this process, from /proc/self/status. */
  private static String residentMemory() {
    try {
      return String.join(
          ", ",
          Files.readAllLines(Path.of("/proc/self/status")).stream()
              .filter(l -> l.startsWith("VmRSS") || l.startsWith("VmHWM"))
              .map(l -> l.replaceAll("\\s+", " "))
              .toList());
    } catch (IOException e) {
      return "memory unknown (" + e.getMessage() + ")";
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
