package org.voxelwise.imaging.volume.ops;

/**
 * Exact Euclidean distance transform on an anisotropic 3D grid (Felzenszwalb and Huttenlocher's
 * separable lower-envelope algorithm, one pass per axis, linear in the number of voxels).
 */
public final class DistanceTransform {
  private DistanceTransform() {}

  /**
   * The squared distance in mm² from each voxel centre to the nearest voxel of {@code feature}, 0
   * on the feature itself, {@link Float#POSITIVE_INFINITY} everywhere when the feature is empty.
   *
   * @param feature true for the voxels distances are measured to
   * @param spacingMm [x, y, z] voxel spacing, each &gt; 0 (use 1 for distances in voxels)
   * @throws IllegalArgumentException if the mask does not fit the sizes
   */
  public static float[] squaredMm(
      boolean[] feature, int sizeX, int sizeY, int sizeZ, double[] spacingMm) {
    Grids.require(feature.length, sizeX, sizeY, sizeZ);
    double[] d = new double[feature.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = feature[i] ? 0 : Double.POSITIVE_INFINITY;
    }
    int[] sizes = {sizeX, sizeY, sizeZ};
    int[] strides = {1, sizeX, sizeX * sizeY};
    int longest = Math.max(sizeX, Math.max(sizeY, sizeZ));
    double[] f = new double[longest];
    double[] out = new double[longest];
    int[] v = new int[longest];
    double[] zs = new double[longest + 1];
    for (int axis = 0; axis < 3; axis++) {
      int n = sizes[axis];
      int stride = strides[axis];
      double w2 = spacingMm[axis] * spacingMm[axis];
      int a1 = (axis + 1) % 3;
      int a2 = (axis + 2) % 3;
      for (int i2 = 0; i2 < sizes[a2]; i2++) {
        for (int i1 = 0; i1 < sizes[a1]; i1++) {
          int base = i1 * strides[a1] + i2 * strides[a2];
          boolean any = false;
          for (int q = 0; q < n; q++) {
            f[q] = d[base + q * stride];
            any |= f[q] != Double.POSITIVE_INFINITY;
          }
          if (!any) {
            continue;
          }
          envelope(f, n, w2, out, v, zs);
          for (int q = 0; q < n; q++) {
            d[base + q * stride] = out[q];
          }
        }
      }
    }
    float[] result = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      result[i] = (float) d[i];
    }
    return result;
  }

  /** Where the parabolas rooted at p and q (p &lt; q) meet. */
  private static double intersection(double[] f, double w2, int p, int q) {
    return ((f[q] + w2 * q * q) - (f[p] + w2 * p * p)) / (2 * w2 * (q - p));
  }

  /** 1D squared distance transform of f (with infinities) for sample spacing² w2. */
  private static void envelope(double[] f, int n, double w2, double[] out, int[] v, double[] z) {
    int k = -1;
    for (int q = 0; q < n; q++) {
      if (f[q] == Double.POSITIVE_INFINITY) {
        continue;
      }
      if (k < 0) {
        k = 0;
        v[0] = q;
        z[0] = Double.NEGATIVE_INFINITY;
        z[1] = Double.POSITIVE_INFINITY;
        continue;
      }
      double s = intersection(f, w2, v[k], q);
      while (s <= z[k]) {
        k--;
        s = intersection(f, w2, v[k], q);
      }
      k++;
      v[k] = q;
      z[k] = s;
      z[k + 1] = Double.POSITIVE_INFINITY;
    }
    int j = 0;
    for (int q = 0; q < n; q++) {
      while (z[j + 1] < q) {
        j++;
      }
      double dq = q - v[j];
      out[q] = w2 * dq * dq + f[v[j]];
    }
  }
}
