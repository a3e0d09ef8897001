package org.voxelwise.imaging.simulate;

import java.util.random.RandomGenerator;

/**
 * A smooth random field over a box: independent standard normal values on a lattice of the given
 * spacing, interpolated trilinearly. Its values have a standard deviation between about 0.4 (midway
 * between lattice points) and 1 (on them), and vary over about one lattice spacing.
 */
final class SmoothNoise {
  private final double[] min;
  private final double step;
  private final int nx;
  private final int ny;
  private final int nz;
  private final float[] lattice;

  /**
   * @param bounds {xMin, xMax, yMin, yMax, zMin, zMax} mm: the field is defined inside it (and
   *     clamped to its edge values outside)
   * @param stepMm lattice spacing in mm
   */
  SmoothNoise(RandomGenerator rng, double[] bounds, double stepMm) {
    step = stepMm;
    min = new double[] {bounds[0], bounds[2], bounds[4]};
    nx = (int) Math.ceil((bounds[1] - bounds[0]) / stepMm) + 2;
    ny = (int) Math.ceil((bounds[3] - bounds[2]) / stepMm) + 2;
    nz = (int) Math.ceil((bounds[5] - bounds[4]) / stepMm) + 2;
    lattice = new float[nx * ny * nz];
    for (int i = 0; i < lattice.length; i++) {
      lattice[i] = (float) rng.nextGaussian();
    }
  }

  double value(double x, double y, double z) {
    double fx = clamp((x - min[0]) / step, nx);
    double fy = clamp((y - min[1]) / step, ny);
    double fz = clamp((z - min[2]) / step, nz);
    int i = (int) fx;
    int j = (int) fy;
    int k = (int) fz;
    double u = fx - i;
    double v = fy - j;
    double w = fz - k;
    int base = i + nx * (j + ny * k);
    int dy = nx;
    int dz = nx * ny;
    double c00 = lattice[base] * (1 - u) + lattice[base + 1] * u;
    double c10 = lattice[base + dy] * (1 - u) + lattice[base + dy + 1] * u;
    double c01 = lattice[base + dz] * (1 - u) + lattice[base + dz + 1] * u;
    double c11 = lattice[base + dy + dz] * (1 - u) + lattice[base + dy + dz + 1] * u;
    double c0 = c00 * (1 - v) + c10 * v;
    double c1 = c01 * (1 - v) + c11 * v;
    return c0 * (1 - w) + c1 * w;
  }

  private static double clamp(double f, int n) {
    return Math.max(0, Math.min(n - 1.000001, f));
  }
}
