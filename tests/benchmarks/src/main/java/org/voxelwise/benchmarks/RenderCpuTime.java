package org.voxelwise.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * {@code java -jar benchmarks.jar render-cpu [FRAMES]}: the frames of {@link LabelOverlayBenchmark}
 * (W/L alone, overlay alone, W/L + overlay; axial and coronal; fill and outline) timed by the
 * thread's CPU time as well as by the wall clock, FRAMES (default 2000) after as many warm-up
 * frames. On a machine shared with other work the CPU time is what one frame costs; the wall time
 * also counts the time the thread waited for a core.
 */
final class RenderCpuTime {
  /** Where each frame's first pixels go, so that no frame is optimised away. */
  private static volatile int sink;

  private RenderCpuTime() {}

  static void print(int frames) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    System.out.println("plane    style    step                  cpu ms/frame  wall ms/frame");
    for (String plane : new String[] {"AXIAL", "CORONAL"}) {
      for (String style : new String[] {"FILL", "OUTLINE"}) {
        LabelOverlayBenchmark b = new LabelOverlayBenchmark();
        b.slices = 300;
        b.plane = plane;
        b.style = style;
        b.setUp();
        time(threads, plane, style, "windowLevel", b::windowLevel, frames);
        time(threads, plane, style, "overlay", b::overlay, frames);
        time(threads, plane, style, "windowLevelAndOverlay", b::windowLevelAndOverlay, frames);
      }
    }
  }

  private static void time(
      ThreadMXBean threads,
      String plane,
      String style,
      String step,
      Supplier<int[]> frame,
      int frames) {
    for (int i = 0; i < frames; i++) {
      sink = frame.get()[i & 1023];
    }
    long cpu = threads.getCurrentThreadCpuTime();
    long wall = System.nanoTime();
    for (int i = 0; i < frames; i++) {
      sink = frame.get()[i & 1023];
    }
    double cpuMs = (threads.getCurrentThreadCpuTime() - cpu) / 1e6 / frames;
    double wallMs = (System.nanoTime() - wall) / 1e6 / frames;
    System.out.printf(
        Locale.ROOT, "%-8s %-8s %-21s %12.3f %14.3f%n", plane, style, step, cpuMs, wallMs);
  }
}
