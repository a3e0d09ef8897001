package org.voxelwise.imaging.nifti;

import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;

/** Volumes and geometries shared by the NIfTI tests. */
final class TestVolumes {
  private TestVolumes() {}

  static final int NX = 17;
  static final int NY = 13;
  static final int NZ = 9;

  /** Identity axes, non-uniform spacing, an ordinary CT origin. */
  static Geometry axisAligned() {
    return Geometry.axisAligned(
        NX, NY, NZ, new double[] {0.7, 0.8, 2.5}, new double[] {-120.5, -98.25, 301.75});
  }

  /** Orthogonal axes rotated about all three patient axes (right-handed). */
  static Geometry oblique() {
    double[][] r = rotation(0.3, -0.5, 0.8);
    return new Geometry(
        NX,
        NY,
        NZ,
        new double[] {0.9, 1.1, 3.0},
        new double[] {-77.125, 40.5, -12.0},
        column(r, 0),
        column(r, 1),
        column(r, 2));
  }

  /** Orthogonal axes with slice index running towards the feet (left-handed, NIfTI qfac −1). */
  static Geometry leftHanded() {
    double[][] r = rotation(-0.2, 0.1, 0.4);
    double[] z = column(r, 2);
    return new Geometry(
        NX,
        NY,
        NZ,
        new double[] {0.5, 0.5, 1.25},
        new double[] {10, -20, 130},
        column(r, 0),
        column(r, 1),
        new double[] {-z[0], -z[1], -z[2]});
  }

  /** Axial slices with a 20° gantry tilt: axisZ leans towards y, not orthogonal to the slices. */
  static Geometry tilted() {
    double t = Math.toRadians(20);
    return new Geometry(
        NX,
        NY,
        NZ,
        new double[] {0.75, 0.75, 2.0},
        new double[] {-190, -170, -50},
        new double[] {1, 0, 0},
        new double[] {0, 1, 0},
        new double[] {0, Math.sin(t), Math.cos(t)});
  }

  /** Values of every kind int16 holds, the extremes included. */
  static Volume shorts(Geometry g) {
    short[] v = new short[(int) g.voxelCount()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (short) (i * 7919 - 1024);
    }
    v[0] = Short.MIN_VALUE;
    v[1] = Short.MAX_VALUE;
    return Volume.ofShorts(g, "CT", v);
  }

  /** Fractional values and the special floats: NaN, ±∞, −0. */
  static Volume floats(Geometry g) {
    float[] v = new float[(int) g.voxelCount()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) Math.sin(i * 0.37) * 1500.25f;
    }
    v[0] = Float.NaN;
    v[1] = Float.POSITIVE_INFINITY;
    v[2] = Float.NEGATIVE_INFINITY;
    v[3] = -0.0f;
    v[4] = Float.MIN_VALUE;
    return Volume.ofFloats(g, "", v);
  }

  private static double[][] rotation(double ax, double ay, double az) {
    double[][] x = {{1, 0, 0}, {0, Math.cos(ax), -Math.sin(ax)}, {0, Math.sin(ax), Math.cos(ax)}};
    double[][] y = {{Math.cos(ay), 0, Math.sin(ay)}, {0, 1, 0}, {-Math.sin(ay), 0, Math.cos(ay)}};
    double[][] z = {{Math.cos(az), -Math.sin(az), 0}, {Math.sin(az), Math.cos(az), 0}, {0, 0, 1}};
    return multiply(z, multiply(y, x));
  }

  private static double[][] multiply(double[][] a, double[][] b) {
    double[][] r = new double[3][3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        for (int k = 0; k < 3; k++) {
          r[i][j] += a[i][k] * b[k][j];
        }
      }
    }
    return r;
  }

  private static double[] column(double[][] m, int c) {
    return new double[] {m[0][c], m[1][c], m[2][c]};
  }
}
