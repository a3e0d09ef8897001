package org.voxelwise.segmentation.metrics;

import java.util.Arrays;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.ops.DistanceTransform;

/**
 * Overlap and distance between a predicted and a reference binary mask on the same {@link Geometry}
 * (flat arrays, x fastest).
 *
 * <p>Conventions for empty masks: Dice is 1 when both are empty; Hausdorff-95 is 0 when both are
 * empty and {@link Double#NaN} when only one is; the volume difference is 0 when both are empty and
 * NaN when only the reference is.
 */
public final class SegmentationMetrics {
  private SegmentationMetrics() {}

  /**
   * Dice coefficient 2|A∩B| / (|A| + |B|).
   *
   * @return a value in [0, 1]; 1 when both masks are empty
   * @throws IllegalArgumentException if the masks differ in length
   */
  public static double dice(boolean[] predicted, boolean[] reference) {
    long[] c = counts(predicted, reference);
    return c[0] + c[1] == 0 ? 1 : 2.0 * c[2] / (c[0] + c[1]);
  }

  /**
   * Counts of predicted, reference and overlapping voxels, the terms global Dice sums over cases.
   *
   * @return {|A|, |B|, |A∩B|}
   * @throws IllegalArgumentException if the masks differ in length
   */
  public static long[] counts(boolean[] predicted, boolean[] reference) {
    if (predicted.length != reference.length) {
      throw new IllegalArgumentException(
          "masks differ in size: " + predicted.length + " vs " + reference.length);
    }
    long a = 0;
    long b = 0;
    long both = 0;
    for (int i = 0; i < predicted.length; i++) {
      a += predicted[i] ? 1 : 0;
      b += reference[i] ? 1 : 0;
      both += predicted[i] && reference[i] ? 1 : 0;
    }
    return new long[] {a, b, both};
  }

  /**
   * The 95th percentile of the symmetric surface distances in mm (as medpy's {@code hd95}): the
   * distances from each surface voxel of one mask to the nearest surface voxel of the other, both
   * ways, pooled. A surface voxel is a mask voxel with a 6-neighbour outside the mask or on the
   * grid's border. Distances use the geometry's spacing; computed with two distance transforms,
   * linear in the number of voxels.
   *
   * @return the distance in mm; 0 when both are empty, NaN when only one is
   * @throws IllegalArgumentException if a mask does not fit the geometry
   */
  public static double hausdorff95Mm(boolean[] predicted, boolean[] reference, Geometry geometry) {
    boolean[] sa = surface(predicted, geometry);
    boolean[] sb = surface(reference, geometry);
    int na = count(sa);
    int nb = count(sb);
    if (na == 0 && nb == 0) {
      return 0;
    }
    if (na == 0 || nb == 0) {
      return Double.NaN;
    }
    int sx = geometry.sizeX();
    int sy = geometry.sizeY();
    int sz = geometry.sizeZ();
    double[] s = geometry.spacingMm();
    float[] toB = DistanceTransform.squaredMm(sb, sx, sy, sz, s);
    float[] toA = DistanceTransform.squaredMm(sa, sx, sy, sz, s);
    float[] pooled = new float[na + nb];
    int n = 0;
    for (int i = 0; i < sa.length; i++) {
      if (sa[i]) {
        pooled[n++] = toB[i];
      }
      if (sb[i]) {
        pooled[n++] = toA[i];
      }
    }
    Arrays.sort(pooled);
    // numpy's default percentile: linear interpolation between closest ranks
    double rank = 0.95 * (pooled.length - 1);
    int lo = (int) Math.floor(rank);
    int hi = Math.min(lo + 1, pooled.length - 1);
    double dLo = Math.sqrt(pooled[lo]);
    double dHi = Math.sqrt(pooled[hi]);
    return dLo + (dHi - dLo) * (rank - lo);
  }

  /**
   * Relative volume difference in percent, 100·(|A| − |B|) / |B|: positive when the prediction is
   * too large.
   *
   * @return 0 when both are empty, NaN when only the reference is
   * @throws IllegalArgumentException if the masks differ in length
   */
  public static double volumeDifferencePercent(boolean[] predicted, boolean[] reference) {
    long[] c = counts(predicted, reference);
    if (c[1] == 0) {
      return c[0] == 0 ? 0 : Double.NaN;
    }
    return 100.0 * (c[0] - c[1]) / c[1];
  }

  /**
   * The voxels of a label value, as a mask.
   *
   * @param labels label values (read unsigned)
   * @param value the label to select
   */
  public static boolean[] mask(byte[] labels, int value) {
    boolean[] m = new boolean[labels.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = (labels[i] & 0xff) == value;
    }
    return m;
  }

  /** Mask voxels with a 6-neighbour outside the mask or on the grid's border. */
  static boolean[] surface(boolean[] mask, Geometry g) {
    int sx = g.sizeX();
    int sy = g.sizeY();
    int sz = g.sizeZ();
    if (mask.length != g.voxelCount()) {
      throw new IllegalArgumentException(
          "mask of " + mask.length + " voxels does not fit " + g.voxelCount());
    }
    int plane = sx * sy;
    boolean[] out = new boolean[mask.length];
    for (int z = 0; z < sz; z++) {
      for (int y = 0; y < sy; y++) {
        for (int x = 0; x < sx; x++) {
          int p = x + sx * y + plane * z;
          if (!mask[p]) {
            continue;
          }
          out[p] =
              x == 0
                  || y == 0
                  || z == 0
                  || x == sx - 1
                  || y == sy - 1
                  || z == sz - 1
                  || !mask[p - 1]
                  || !mask[p + 1]
                  || !mask[p - sx]
                  || !mask[p + sx]
                  || !mask[p - plane]
                  || !mask[p + plane];
        }
      }
    }
    return out;
  }

  private static int count(boolean[] m) {
    int c = 0;
    for (boolean b : m) {
      c += b ? 1 : 0;
    }
    return c;
  }
}
