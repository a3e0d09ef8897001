package org.voxelwise.benchmarks;

import java.util.Random;
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
import org.voxelwise.imaging.render.Plane;
import org.voxelwise.imaging.render.SlicePlane;
import org.voxelwise.imaging.render.SliceRenderer;
import org.voxelwise.imaging.render.WindowLevel;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;

/**
 * Rendering one 512×512 slice of a 512×512×{@code slices} CT (16-bit) with a window into ARGB
 * pixels, as the viewer does for every frame ({@link SliceRenderer}: extract the slice for the
 * plane, window it). {@code plane} AXIAL reads contiguous memory; CORONAL and SAGITTAL (512 wide,
 * {@code slices} high) stride through the volume. The target is ≤ 4 ms per axial 512×512 slice; the
 * overlay compositing (part B of the viewer) is added to this benchmark when it exists.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class SliceRenderBenchmark {
  /** Slices of the volume. */
  @Param("300")
  public int slices;

  /** The plane rendered. */
  @Param({"AXIAL", "CORONAL", "SAGITTAL"})
  public Plane plane;

  private Volume volume;
  private SlicePlane slicePlane;
  private final SliceRenderer renderer = new SliceRenderer();
  private int[] argb;
  private int slice;

  /** Builds the volume (values −1000…1000 HU with noise) and the plane. */
  @Setup(Level.Trial)
  public void build() {
    Geometry g =
        Geometry.axisAligned(512, 512, slices, new double[] {0.7, 0.7, 1.0}, new double[3]);
    short[] values = new short[(int) g.voxelCount()];
    Random random = new Random(3);
    for (int i = 0; i < values.length; i++) {
      values[i] = (short) (random.nextInt(2000) - 1000);
    }
    volume = Volume.ofShorts(g, "CT", values);
    slicePlane = new SlicePlane(g, plane);
    argb = new int[slicePlane.width() * slicePlane.height()];
  }

  /** One slice, moving to the next each time (as when scrolling). */
  @Benchmark
  public int[] renderSlice() {
    slice = (slice + 1) % slicePlane.sliceCount();
    renderer.render(volume, slicePlane, slice, 0, WindowLevel.ABDOMEN, null, argb);
    return argb;
  }
}
