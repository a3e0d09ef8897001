package org.voxelwise.imaging.render;

import org.voxelwise.imaging.volume.Geometry;

/**
 * Converts between voxel indices of a {@link Geometry} and patient coordinates (LPS, mm) in both
 * directions. {@link #toVoxel} inverts {@link Geometry#voxelToPatient} exactly (up to rounding),
 * also for oblique and tilted grids.
 */
public final class PatientTransform {
  private final double[][] forward;
  private final double[][] inverse;

  public PatientTransform(Geometry geometry) {
    forward = geometry.voxelToPatientMatrix();
    inverse = invert3(forward);
  }

  /** Patient coordinates (mm) of the (possibly fractional) voxel index (i, j, k). */
  public double[] toPatient(double i, double j, double k) {
    double[] p = new double[3];
    for (int a = 0; a < 3; a++) {
      p[a] = forward[a][0] * i + forward[a][1] * j + forward[a][2] * k + forward[a][3];
    }
    return p;
  }

  /** The fractional voxel index (i, j, k) of a patient position (mm). */
  public double[] toVoxel(double x, double y, double z) {
    double dx = x - forward[0][3];
    double dy = y - forward[1][3];
    double dz = z - forward[2][3];
    double[] v = new double[3];
    for (int a = 0; a < 3; a++) {
      v[a] = inverse[a][0] * dx + inverse[a][1] * dy + inverse[a][2] * dz;
    }
    return v;
  }

  private static double[][] invert3(double[][] m) {
    double a = m[0][0], b = m[0][1], c = m[0][2];
    double d = m[1][0], e = m[1][1], f = m[1][2];
    double g = m[2][0], h = m[2][1], i = m[2][2];
    double det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
    if (Math.abs(det) < 1e-12) {
      throw new IllegalArgumentException("the voxel axes are linearly dependent");
    }
    return new double[][] {
      {(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det},
      {(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det},
      {(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det}
    };
  }
}
