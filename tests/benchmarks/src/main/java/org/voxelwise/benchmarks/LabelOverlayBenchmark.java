package org.voxelwise.benchmarks;

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
import org.openjdk.jmh.annotations.Warmup;
import org.voxelwise.imaging.render.LabelOverlay;
import org.voxelwise.imaging.render.Plane;
import org.voxelwise.imaging.render.SliceOverlay;
import org.voxelwise.imaging.render.SlicePlane;
import org.voxelwise.imaging.render.SliceRenderer;
import org.voxelwise.imaging.render.WindowLevel;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.LiverTumorLabels;
import org.voxelwise.imaging.volume.Volume;

/**
 * Drawing one 512×512 slice as the viewer does: window/level into ARGB pixels ({@link
 * SliceRenderer}) and then the liver/tumor {@link LabelOverlay} over it (target: ≤ 4 ms for both).
 * The study is 512×512×{@code slices} 16-bit HU (0.7 × 0.7 × 1 mm) with a liver-sized ellipsoid
 * (label 1) holding a tumor (label 2), cut through the middle in the plane given; {@code style} is
 * the overlay's style for both labels. {@code overlay} times the overlay alone (over the last
 * frame's pixels). Set-up is not timed; 5 warm-up and 5 measured iterations of 1 s in one fork.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = "-Xmx2g")
public class LabelOverlayBenchmark {
  private static final int SIZE = 512;

  /** Slices of the study. */
  @Param("300")
  public int slices;

  /** AXIAL, CORONAL or SAGITTAL. */
  @Param({"AXIAL", "CORONAL"})
  public String plane;

  /** FILL or OUTLINE. */
  @Param({"FILL", "OUTLINE"})
  public String style;

  private Volume volume;
  private SlicePlane slicePlane;
  private int slice;
  private SliceOverlay layer;
  private final SliceRenderer renderer = new SliceRenderer();
  private int[] argb;

  @Setup(Level.Trial)
  public void setUp() {
    Geometry g =
        Geometry.axisAligned(SIZE, SIZE, slices, new double[] {0.7, 0.7, 1}, new double[3]);
    short[] hu = new short[SIZE * SIZE * slices];
    byte[] labels = new byte[hu.length];
    for (int z = 0, i = 0; z < slices; z++) {
      for (int y = 0; y < SIZE; y++) {
        for (int x = 0; x < SIZE; x++, i++) {
          double ex = (x - 300) / 120.0;
          double ey = (y - 250) / 90.0;
          double ez = (z - slices / 2.0) / (slices / 3.0);
          double r = ex * ex + ey * ey + ez * ez;
          double tx = (x - 320) / 25.0;
          double ty = (y - 240) / 25.0;
          boolean tumor = tx * tx + ty * ty + ez * ez * 9 <= 1;
          labels[i] = (byte) (tumor ? LiverTumorLabels.TUMOR : r <= 1 ? LiverTumorLabels.LIVER : 0);
          hu[i] = (short) (tumor ? 20 : r <= 1 ? 60 : ((x * 31 + y * 17 + z * 7) % 200) - 100);
        }
      }
    }
    volume = Volume.ofShorts(g, "CT", hu);
    slicePlane = new SlicePlane(g, Plane.valueOf(plane));
    slice = slicePlane.sliceCount() / 2;
    LabelOverlay overlay = new LabelOverlay(LiverTumorLabels.TABLE);
    for (var label : LiverTumorLabels.TABLE) {
      overlay.setStyle(label.value(), LabelOverlay.Style.valueOf(style));
    }
    layer = overlay.layer(labels);
    argb = new int[slicePlane.width() * slicePlane.height()];
    renderer.render(volume, slicePlane, slice, 0, WindowLevel.ABDOMEN, null, argb);
  }

  /** Window/level only: the baseline. */
  @Benchmark
  public int[] windowLevel() {
    renderer.render(volume, slicePlane, slice, 0, WindowLevel.ABDOMEN, null, argb);
    return argb;
  }

  /** The label overlay alone, drawn over the pixels of the last frame. */
  @Benchmark
  public int[] overlay() {
    layer.composite(slicePlane, slice, 0, argb);
    return argb;
  }

  /** Window/level and the label overlay: what the viewer does per frame. */
  @Benchmark
  public int[] windowLevelAndOverlay() {
    renderer.render(volume, slicePlane, slice, 0, WindowLevel.ABDOMEN, layer, argb);
    return argb;
  }
}
