package org.voxelwise.imaging.volume;

import java.util.Arrays;

/**
 * Where the voxels of a 3D grid lie in the patient: size, spacing, origin and axis directions, in
 * DICOM patient coordinates (LPS: x to the patient's left, y to the posterior, z to the head), in
 * millimetres.
 *
 * <p>The centre of voxel (i, j, k) lies at {@code origin + i·sx·axisX + j·sy·axisY + k·sz·axisZ}.
 * {@code axisX} is the direction of increasing column index (DICOM's row direction cosine), {@code
 * axisY} that of increasing row index, and {@code axisZ} that of increasing slice index. axisZ is
 * the normal of the slices unless the gantry was tilted, in which case it is the direction from one
 * slice origin to the next and not perpendicular to the slices. All axes are unit vectors, all
 * sizes ≥ 1 and all spacings &gt; 0. Instances are immutable.
 */
public final class Geometry {
  private final int sizeX;
  private final int sizeY;
  private final int sizeZ;
  private final double[] spacingMm;
  private final double[] originMm;
  private final double[] axisX;
  private final double[] axisY;
  private final double[] axisZ;

  /**
   * @throws IllegalArgumentException for a size below 1, a spacing not &gt; 0, or an axis that is
   *     not a finite non-zero 3-vector (axes are normalised)
   */
  public Geometry(
      int sizeX,
      int sizeY,
      int sizeZ,
      double[] spacingMm,
      double[] originMm,
      double[] axisX,
      double[] axisY,
      double[] axisZ) {
    if (sizeX < 1 || sizeY < 1 || sizeZ < 1) {
      throw new IllegalArgumentException(
          "size must be at least 1 in each axis: " + sizeX + "×" + sizeY + "×" + sizeZ);
    }
    this.sizeX = sizeX;
    this.sizeY = sizeY;
    this.sizeZ = sizeZ;
    this.spacingMm = check3("spacing", spacingMm).clone();
    for (double s : this.spacingMm) {
      if (!(s > 0)) {
        throw new IllegalArgumentException("spacing must be > 0: " + Arrays.toString(spacingMm));
      }
    }
    this.originMm = check3("origin", originMm).clone();
    this.axisX = unit("axisX", axisX);
    this.axisY = unit("axisY", axisY);
    this.axisZ = unit("axisZ", axisZ);
  }

  /** An axis-aligned geometry (identity directions) with the given size, spacing and origin. */
  public static Geometry axisAligned(
      int sizeX, int sizeY, int sizeZ, double[] spacingMm, double[] originMm) {
    return new Geometry(
        sizeX,
        sizeY,
        sizeZ,
        spacingMm,
        originMm,
        new double[] {1, 0, 0},
        new double[] {0, 1, 0},
        new double[] {0, 0, 1});
  }

  private static double[] check3(String name, double[] v) {
    if (v == null || v.length != 3) {
      throw new IllegalArgumentException(name + " must have 3 components");
    }
    for (double d : v) {
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException(name + " must be finite: " + Arrays.toString(v));
      }
    }
    return v;
  }

  private static double[] unit(String name, double[] v) {
    check3(name, v);
    double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    if (n < 1e-6) {
      throw new IllegalArgumentException(name + " must not be zero");
    }
    return new double[] {v[0] / n, v[1] / n, v[2] / n};
  }

  public int sizeX() {
    return sizeX;
  }

  public int sizeY() {
    return sizeY;
  }

  public int sizeZ() {
    return sizeZ;
  }

  /** Number of voxels, sizeX·sizeY·sizeZ. */
  public long voxelCount() {
    return (long) sizeX * sizeY * sizeZ;
  }

  /** Voxel spacing [x, y, z] in mm (a copy). */
  public double[] spacingMm() {
    return spacingMm.clone();
  }

  /** Patient position of the centre of voxel (0,0,0) in mm (a copy). */
  public double[] originMm() {
    return originMm.clone();
  }

  /** Unit direction of increasing column index (a copy). */
  public double[] axisX() {
    return axisX.clone();
  }

  /** Unit direction of increasing row index (a copy). */
  public double[] axisY() {
    return axisY.clone();
  }

  /** Unit direction of increasing slice index (a copy). */
  public double[] axisZ() {
    return axisZ.clone();
  }

  /** The unit normal of the slices, axisX × axisY. */
  public double[] sliceNormal() {
    return normalize(cross(axisX, axisY));
  }

  /**
   * The volume of one voxel in millilitres: the product of the spacings times |axisZ · slice
   * normal| (less than the product for a gantry-tilted grid, whose voxels are sheared).
   */
  public double voxelVolumeMl() {
    double[] n = sliceNormal();
    double shear = Math.abs(n[0] * axisZ[0] + n[1] * axisZ[1] + n[2] * axisZ[2]);
    return spacingMm[0] * spacingMm[1] * spacingMm[2] * shear / 1000.0;
  }

  /**
   * The angle in degrees between axisZ and the slice normal: 0 for an ordinary series, the gantry
   * tilt for a tilted one.
   */
  public double tiltDegrees() {
    double[] n = sliceNormal();
    double c = Math.abs(n[0] * axisZ[0] + n[1] * axisZ[1] + n[2] * axisZ[2]);
    return Math.toDegrees(Math.acos(Math.min(1, c)));
  }

  /** Patient coordinates in mm of the (possibly fractional) voxel index (i, j, k). */
  public double[] voxelToPatient(double i, double j, double k) {
    double[] p = new double[3];
    for (int a = 0; a < 3; a++) {
      p[a] =
          originMm[a]
              + i * spacingMm[0] * axisX[a]
              + j * spacingMm[1] * axisY[a]
              + k * spacingMm[2] * axisZ[a];
    }
    return p;
  }

  /**
   * The 4×4 matrix (row-major) mapping homogeneous voxel indices (i, j, k, 1) to patient LPS mm.
   */
  public double[][] voxelToPatientMatrix() {
    double[][] m = new double[4][4];
    for (int a = 0; a < 3; a++) {
      m[a][0] = spacingMm[0] * axisX[a];
      m[a][1] = spacingMm[1] * axisY[a];
      m[a][2] = spacingMm[2] * axisZ[a];
      m[a][3] = originMm[a];
    }
    m[3][3] = 1;
    return m;
  }

  /** This geometry with another number of slices (same origin, spacing, axes). */
  public Geometry withSizeZ(int newSizeZ) {
    return new Geometry(sizeX, sizeY, newSizeZ, spacingMm, originMm, axisX, axisY, axisZ);
  }

  /**
   * Whether {@code other} describes the same voxel grid: same sizes, and spacing, origin and axes
   * equal within {@code toleranceMm} (axes compared as their displacement over one voxel).
   */
  public boolean sameGrid(Geometry other, double toleranceMm) {
    if (sizeX != other.sizeX || sizeY != other.sizeY || sizeZ != other.sizeZ) {
      return false;
    }
    double[][] a = voxelToPatientMatrix();
    double[][] b = other.voxelToPatientMatrix();
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 4; c++) {
        if (Math.abs(a[r][c] - b[r][c]) > toleranceMm) {
          return false;
        }
      }
    }
    return true;
  }

  static double[] cross(double[] a, double[] b) {
    return new double[] {
      a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]
    };
  }

  static double[] normalize(double[] v) {
    double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    return n == 0 ? v : new double[] {v[0] / n, v[1] / n, v[2] / n};
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Geometry g
        && sizeX == g.sizeX
        && sizeY == g.sizeY
        && sizeZ == g.sizeZ
        && Arrays.equals(spacingMm, g.spacingMm)
        && Arrays.equals(originMm, g.originMm)
        && Arrays.equals(axisX, g.axisX)
        && Arrays.equals(axisY, g.axisY)
        && Arrays.equals(axisZ, g.axisZ);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(new int[] {sizeX, sizeY, sizeZ}) * 31 + Arrays.hashCode(originMm);
  }

  @Override
  public String toString() {
    return String.format(
        "%d×%d×%d at %s mm, spacing %s mm, axes %s %s %s",
        sizeX,
        sizeY,
        sizeZ,
        Arrays.toString(originMm),
        Arrays.toString(spacingMm),
        Arrays.toString(axisX),
        Arrays.toString(axisY),
        Arrays.toString(axisZ));
  }
}
