package org.voxelwise.imaging.volume.ops;

import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.LabelVolume;
import org.voxelwise.imaging.volume.Volume;

/**
 * Resampling of voxel data from one {@link Geometry} onto another, through patient coordinates:
 * each target voxel centre is mapped into the source grid, and the source is interpolated there.
 * Any spacings, origins and axis directions (oblique, tilted) are allowed.
 *
 * <p>Target voxels whose centre falls more than half a voxel outside the source grid get the given
 * {@code outside} value (trilinear) or 0 (nearest); within that half voxel the edge value is
 * repeated.
 */
public final class Resampling {
  private Resampling() {}

  /**
   * Trilinear interpolation of a volume onto {@code target}.
   *
   * @param source the volume to resample
   * @param target the grid of the result
   * @param outside the value of target voxels outside the source grid (e.g. −1024 HU for air)
   * @return a float volume on {@code target} with the source's modality
   */
  public static Volume trilinear(Volume source, Geometry target, float outside) {
    float[] values =
        trilinear(
            source.isShort() ? null : source.toFloatArray(),
            source.isShort() ? source.shortValues() : null,
            source.geometry(),
            target,
            outside);
    return Volume.ofFloats(target, source.modality(), values);
  }

  /**
   * Trilinear interpolation of a float array on {@code from} onto {@code to}.
   *
   * @param values one value per voxel of {@code from}
   * @param from the grid of {@code values}
   * @param to the grid of the result
   * @param outside the value of target voxels outside the source grid
   * @return one value per voxel of {@code to}
   * @throws IllegalArgumentException if {@code values} does not fit {@code from}
   */
  public static float[] trilinear(float[] values, Geometry from, Geometry to, float outside) {
    requireSize(values.length, from);
    return trilinear(values, null, from, to, outside);
  }

  private static float[] trilinear(
      float[] floats, short[] shorts, Geometry from, Geometry to, float outside) {
    int nx = from.sizeX();
    int ny = from.sizeY();
    int nz = from.sizeZ();
    double[][] m = targetToSource(from, to);
    float[] out = new float[Math.toIntExact(to.voxelCount())];
    int tx = to.sizeX();
    int ty = to.sizeY();
    int tz = to.sizeZ();
    for (int k = 0; k < tz; k++) {
      for (int j = 0; j < ty; j++) {
        int row = tx * (j + ty * k);
        for (int i = 0; i < tx; i++) {
          double x = m[0][0] * i + m[0][1] * j + m[0][2] * k + m[0][3];
          double y = m[1][0] * i + m[1][1] * j + m[1][2] * k + m[1][3];
          double z = m[2][0] * i + m[2][1] * j + m[2][2] * k + m[2][3];
          if (x < -0.5 || y < -0.5 || z < -0.5 || x > nx - 0.5 || y > ny - 0.5 || z > nz - 0.5) {
            out[row + i] = outside;
            continue;
          }
          x = clamp(x, nx);
          y = clamp(y, ny);
          z = clamp(z, nz);
          int x0 = Math.min((int) x, nx - 1);
          int y0 = Math.min((int) y, ny - 1);
          int z0 = Math.min((int) z, nz - 1);
          int x1 = Math.min(x0 + 1, nx - 1);
          int y1 = Math.min(y0 + 1, ny - 1);
          int z1 = Math.min(z0 + 1, nz - 1);
          double fx = x - x0;
          double fy = y - y0;
          double fz = z - z0;
          int p00 = nx * (y0 + ny * z0);
          int p10 = nx * (y1 + ny * z0);
          int p01 = nx * (y0 + ny * z1);
          int p11 = nx * (y1 + ny * z1);
          double c00 = lerp(at(floats, shorts, p00 + x0), at(floats, shorts, p00 + x1), fx);
          double c10 = lerp(at(floats, shorts, p10 + x0), at(floats, shorts, p10 + x1), fx);
          double c01 = lerp(at(floats, shorts, p01 + x0), at(floats, shorts, p01 + x1), fx);
          double c11 = lerp(at(floats, shorts, p11 + x0), at(floats, shorts, p11 + x1), fx);
          out[row + i] = (float) lerp(lerp(c00, c10, fy), lerp(c01, c11, fy), fz);
        }
      }
    }
    return out;
  }

  /**
   * Nearest-neighbour resampling of a labelling onto {@code target}; voxels outside the source grid
   * become background.
   *
   * @param labels the labelling to resample
   * @param target the grid of the result
   * @return a labelling on {@code target} with the same label table
   */
  public static LabelVolume nearest(LabelVolume labels, Geometry target) {
    return new LabelVolume(
        target, nearest(labels.values(), labels.geometry(), target), labels.table());
  }

  /**
   * Nearest-neighbour resampling of a byte array on {@code from} onto {@code to}; voxels outside
   * the source grid become 0.
   *
   * @param values one value per voxel of {@code from}
   * @param from the grid of {@code values}
   * @param to the grid of the result
   * @return one value per voxel of {@code to}
   * @throws IllegalArgumentException if {@code values} does not fit {@code from}
   */
  public static byte[] nearest(byte[] values, Geometry from, Geometry to) {
    requireSize(values.length, from);
    int nx = from.sizeX();
    int ny = from.sizeY();
    int nz = from.sizeZ();
    double[][] m = targetToSource(from, to);
    byte[] out = new byte[Math.toIntExact(to.voxelCount())];
    int tx = to.sizeX();
    int ty = to.sizeY();
    for (int k = 0; k < to.sizeZ(); k++) {
      for (int j = 0; j < ty; j++) {
        int row = tx * (j + ty * k);
        for (int i = 0; i < tx; i++) {
          long x = Math.round(m[0][0] * i + m[0][1] * j + m[0][2] * k + m[0][3]);
          long y = Math.round(m[1][0] * i + m[1][1] * j + m[1][2] * k + m[1][3]);
          long z = Math.round(m[2][0] * i + m[2][1] * j + m[2][2] * k + m[2][3]);
          if (x >= 0 && y >= 0 && z >= 0 && x < nx && y < ny && z < nz) {
            out[row + i] = values[(int) (x + nx * (y + (long) ny * z))];
          }
        }
      }
    }
    return out;
  }

  /**
   * The affine map (3×4, row-major) from voxel indices of {@code to} to (fractional) voxel indices
   * of {@code from}.
   */
  static double[][] targetToSource(Geometry from, Geometry to) {
    double[][] a = from.voxelToPatientMatrix();
    double[][] inv = invert3(a);
    double[][] b = to.voxelToPatientMatrix();
    double[][] m = new double[3][4];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 4; c++) {
        double s = 0;
        for (int t = 0; t < 3; t++) {
          s += inv[r][t] * (c < 3 ? b[t][c] : b[t][3] - a[t][3]);
        }
        m[r][c] = s;
      }
    }
    return m;
  }

  private static double[][] invert3(double[][] a) {
    double det =
        a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1])
            - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
            + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
    if (Math.abs(det) < 1e-12) {
      throw new IllegalArgumentException("the source grid's axes are degenerate");
    }
    double[][] inv = new double[3][3];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        int r1 = (c + 1) % 3;
        int r2 = (c + 2) % 3;
        int c1 = (r + 1) % 3;
        int c2 = (r + 2) % 3;
        inv[r][c] = (a[r1][c1] * a[r2][c2] - a[r1][c2] * a[r2][c1]) / det;
      }
    }
    return inv;
  }

  private static double clamp(double v, int n) {
    return Math.max(0, Math.min(n - 1, v));
  }

  private static double lerp(double a, double b, double f) {
    return a + (b - a) * f;
  }

  private static double at(float[] floats, short[] shorts, int index) {
    return floats != null ? floats[index] : shorts[index];
  }

  private static void requireSize(int length, Geometry g) {
    if (length != g.voxelCount()) {
      throw new IllegalArgumentException(
          "array has " + length + " values, geometry needs " + g.voxelCount());
    }
  }
}
