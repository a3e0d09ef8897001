package org.voxelwise.imaging.simulate;

import java.util.random.RandomGenerator;

/**
 * A smooth random solid: an ellipsoid (centre, semi-axes, orientation) whose surface radius is
 * modulated by a few low-frequency waves over the direction, evaluated at points moved by a smooth
 * random displacement field. {@link #level} is below 1 inside, 1 on the surface and grows outwards,
 * roughly as distance / radius.
 */
final class Blob {
  private final double[] centre;
  private final double[] semi;
  private final double[][] axes;
  private final double[][] waveDir;
  private final double[] waveFreq;
  private final double[] wavePhase;
  private final double[] waveAmp;
  private final double[][] dispK;
  private final double[] dispPhase;
  private final double[][] dispAmp;
  private final double reach;

  private Blob(
      double[] centre,
      double[] semi,
      double[][] axes,
      double[][] waveDir,
      double[] waveFreq,
      double[] wavePhase,
      double[] waveAmp,
      double[][] dispK,
      double[] dispPhase,
      double[][] dispAmp) {
    this.centre = centre;
    this.semi = semi;
    this.axes = axes;
    this.waveDir = waveDir;
    this.waveFreq = waveFreq;
    this.wavePhase = wavePhase;
    this.waveAmp = waveAmp;
    this.dispK = dispK;
    this.dispPhase = dispPhase;
    this.dispAmp = dispAmp;
    double amp = 0;
    for (double a : waveAmp) {
      amp += Math.abs(a);
    }
    double disp = 0;
    for (double[] d : dispAmp) {
      disp += Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    }
    reach = Math.max(semi[0], Math.max(semi[1], semi[2])) * (1 + amp) + disp;
  }

  /**
   * A blob with {@code waves} random surface waves of relative amplitude up to {@code waveAmp} and
   * {@code displacements} random displacement waves of amplitude up to {@code dispAmpMm} and
   * wavelength between {@code minWavelengthMm} and twice that.
   *
   * @param centre centre in mm
   * @param semi semi-axes in mm along the rotated x, y, z axes
   * @param angles rotations in radians about z, then y, then x
   */
  static Blob random(
      RandomGenerator rng,
      double[] centre,
      double[] semi,
      double[] angles,
      int waves,
      double waveAmp,
      int displacements,
      double dispAmpMm,
      double minWavelengthMm) {
    double[][] dir = new double[waves][];
    double[] freq = new double[waves];
    double[] phase = new double[waves];
    double[] amp = new double[waves];
    for (int w = 0; w < waves; w++) {
      dir[w] = unitVector(rng);
      freq[w] = 1 + 2 * rng.nextDouble();
      phase[w] = 2 * Math.PI * rng.nextDouble();
      amp[w] = waveAmp * rng.nextDouble() / Math.max(1, waves / 2.0);
    }
    double[][] k = new double[displacements][];
    double[] dphase = new double[displacements];
    double[][] damp = new double[displacements][];
    for (int d = 0; d < displacements; d++) {
      double wavelength = minWavelengthMm * (1 + rng.nextDouble());
      double[] u = unitVector(rng);
      k[d] =
          new double[] {
            2 * Math.PI * u[0] / wavelength,
            2 * Math.PI * u[1] / wavelength,
            2 * Math.PI * u[2] / wavelength
          };
      dphase[d] = 2 * Math.PI * rng.nextDouble();
      double[] a = unitVector(rng);
      double size = dispAmpMm * rng.nextDouble();
      damp[d] = new double[] {a[0] * size, a[1] * size, a[2] * size};
    }
    return new Blob(
        centre.clone(), semi.clone(), rotation(angles), dir, freq, phase, amp, k, dphase, damp);
  }

  /** A plain ellipsoid, without waves or displacement. */
  static Blob ellipsoid(double[] centre, double[] semi, double[] angles) {
    return new Blob(
        centre.clone(),
        semi.clone(),
        rotation(angles),
        new double[0][],
        new double[0],
        new double[0],
        new double[0],
        new double[0][],
        new double[0],
        new double[0][]);
  }

  static double[] unitVector(RandomGenerator rng) {
    double x;
    double y;
    double z;
    double n;
    do {
      x = rng.nextGaussian();
      y = rng.nextGaussian();
      z = rng.nextGaussian();
      n = Math.sqrt(x * x + y * y + z * z);
    } while (n < 1e-6);
    return new double[] {x / n, y / n, z / n};
  }

  /** Rows are the blob's local axes in patient coordinates. */
  private static double[][] rotation(double[] angles) {
    double cz = Math.cos(angles[0]);
    double sz = Math.sin(angles[0]);
    double cy = Math.cos(angles[1]);
    double sy = Math.sin(angles[1]);
    double cx = Math.cos(angles[2]);
    double sx = Math.sin(angles[2]);
    double[][] rz = {{cz, -sz, 0}, {sz, cz, 0}, {0, 0, 1}};
    double[][] ry = {{cy, 0, sy}, {0, 1, 0}, {-sy, 0, cy}};
    double[][] rx = {{1, 0, 0}, {0, cx, -sx}, {0, sx, cx}};
    double[][] m = multiply(rz, multiply(ry, rx));
    double[][] rows = new double[3][3];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        rows[r][c] = m[c][r];
      }
    }
    return rows;
  }

  private static double[][] multiply(double[][] a, double[][] b) {
    double[][] m = new double[3][3];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        m[r][c] = a[r][0] * b[0][c] + a[r][1] * b[1][c] + a[r][2] * b[2][c];
      }
    }
    return m;
  }

  double[] centre() {
    return centre.clone();
  }

  double[] semiAxes() {
    return semi.clone();
  }

  /**
   * Bounding box {xMin, xMax, yMin, yMax, zMin, zMax} in mm, holding every point with level ≤ 1.2.
   */
  double[] boundsMm() {
    double r = 1.2 * reach;
    return new double[] {
      centre[0] - r, centre[0] + r, centre[1] - r, centre[1] + r, centre[2] - r, centre[2] + r
    };
  }

  /**
   * The point's coordinates in the blob's frame scaled by the semi-axes (after displacement), into
   * {@code q}; |q| is 1 on the undeformed ellipsoid.
   */
  void local(double x, double y, double z, double[] q) {
    double px = x;
    double py = y;
    double pz = z;
    for (int d = 0; d < dispK.length; d++) {
      double s = Math.sin(dispK[d][0] * x + dispK[d][1] * y + dispK[d][2] * z + dispPhase[d]);
      px += dispAmp[d][0] * s;
      py += dispAmp[d][1] * s;
      pz += dispAmp[d][2] * s;
    }
    px -= centre[0];
    py -= centre[1];
    pz -= centre[2];
    for (int a = 0; a < 3; a++) {
      q[a] = (axes[a][0] * px + axes[a][1] * py + axes[a][2] * pz) / semi[a];
    }
  }

  /** Below 1 inside, 1 on the surface, larger outside. */
  double level(double x, double y, double z) {
    double[] q = new double[3];
    local(x, y, z, q);
    return level(q);
  }

  /** {@link #level} from local coordinates made by {@link #local}. */
  double level(double[] q) {
    double rho = Math.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2]);
    if (rho < 1e-9 || waveAmp.length == 0) {
      return rho;
    }
    double f = 1;
    for (int w = 0; w < waveAmp.length; w++) {
      double along = (waveDir[w][0] * q[0] + waveDir[w][1] * q[1] + waveDir[w][2] * q[2]) / rho;
      f += waveAmp[w] * Math.sin(waveFreq[w] * Math.PI * along + wavePhase[w]);
    }
    return rho / f;
  }
}
