package org.voxelwise.imaging.render;

import java.util.Arrays;
import org.voxelwise.imaging.volume.Volume;

/**
 * A display window chosen from the data: it spans the 1st to the 99th percentile of the values, so
 * a few extreme voxels (metal, air outside the body) do not wash the image out. The volume is
 * sampled evenly (at most {@value #MAX_SAMPLES} voxels), so this takes milliseconds on any size.
 */
public final class AutoWindow {
  /** The lower percentile the window starts at. */
  public static final double LOW_PERCENTILE = 1;

  /** The upper percentile the window ends at. */
  public static final double HIGH_PERCENTILE = 99;

  static final int MAX_SAMPLES = 1 << 20;

  private AutoWindow() {}

  /** The window spanning the 1st–99th percentile of all values of a volume. */
  public static WindowLevel of(Volume volume) {
    long n = volume.geometry().voxelCount();
    long step = Math.max(1, (n + MAX_SAMPLES - 1) / MAX_SAMPLES);
    float[] samples = new float[(int) ((n + step - 1) / step)];
    int count = 0;
    for (long i = 0; i < n; i += step) {
      samples[count++] = volume.valueAt((int) i);
    }
    return ofValues(samples, count);
  }

  /**
   * The window spanning the 1st–99th percentile of the first {@code count} values (e.g. one slice
   * from {@link SliceExtractor}); the array is not changed. A flat image gets width 1 around its
   * value.
   */
  public static WindowLevel ofValues(float[] values, int count) {
    if (count < 1 || count > values.length) {
      throw new IllegalArgumentException("count " + count + " of " + values.length + " values");
    }
    float[] sorted = Arrays.copyOf(values, count);
    Arrays.sort(sorted);
    double low = percentile(sorted, LOW_PERCENTILE);
    double high = percentile(sorted, HIGH_PERCENTILE);
    return new WindowLevel((low + high) / 2, Math.max(1, high - low));
  }

  /** The p-th percentile (0–100) of sorted values, interpolated linearly between ranks. */
  static double percentile(float[] sorted, double p) {
    double rank = p / 100 * (sorted.length - 1);
    int below = (int) Math.floor(rank);
    int above = Math.min(sorted.length - 1, below + 1);
    return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
  }
}
