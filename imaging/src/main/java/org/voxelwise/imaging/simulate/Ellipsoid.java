package org.voxelwise.imaging.simulate;

/**
 * An ellipsoid of one material in patient coordinates (LPS, mm), with one semi-axis along z and the
 * other two turned about z by {@code angleRad} (from +x towards +y).
 *
 * <p>A point p lies in the ellipsoid when {@code (u/a)² + (v/b)² + (w/c)² ≤ 1}, where (u, v) are
 * p's in-plane offsets from the centre in the turned axes, w its z offset, and a, b, c the
 * semi-axes. A very long semi-axis along z makes an elliptic cylinder.
 *
 * @param centreXMm x of the centre
 * @param centreYMm y of the centre
 * @param centreZMm z of the centre
 * @param semiAxisUMm semi-axis along the turned x direction, &gt; 0
 * @param semiAxisVMm semi-axis along the turned y direction, &gt; 0
 * @param semiAxisZMm semi-axis along z, &gt; 0
 * @param angleRad rotation about z of the in-plane semi-axes
 * @param hu the material's value in HU (−1000 is air)
 */
public record Ellipsoid(
    double centreXMm,
    double centreYMm,
    double centreZMm,
    double semiAxisUMm,
    double semiAxisVMm,
    double semiAxisZMm,
    double angleRad,
    double hu) {
  public Ellipsoid {
    for (double v :
        new double[] {
          centreXMm, centreYMm, centreZMm, semiAxisUMm, semiAxisVMm, semiAxisZMm, angleRad, hu
        }) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("ellipsoid values must be finite");
      }
    }
    if (!(semiAxisUMm > 0 && semiAxisVMm > 0 && semiAxisZMm > 0)) {
      throw new IllegalArgumentException(
          "semi-axes must be > 0: " + semiAxisUMm + ", " + semiAxisVMm + ", " + semiAxisZMm);
    }
  }

  /** An axis-aligned ellipsoid (angle 0). */
  public static Ellipsoid axisAligned(
      double centreXMm,
      double centreYMm,
      double centreZMm,
      double semiAxisXMm,
      double semiAxisYMm,
      double semiAxisZMm,
      double hu) {
    return new Ellipsoid(
        centreXMm, centreYMm, centreZMm, semiAxisXMm, semiAxisYMm, semiAxisZMm, 0, hu);
  }

  /** Whether the point (x, y, z) lies in the ellipsoid (its surface included). */
  public boolean contains(double xMm, double yMm, double zMm) {
    double w = (zMm - centreZMm) / semiAxisZMm;
    double dx = xMm - centreXMm;
    double dy = yMm - centreYMm;
    double cos = Math.cos(angleRad);
    double sin = Math.sin(angleRad);
    double u = (dx * cos + dy * sin) / semiAxisUMm;
    double v = (-dx * sin + dy * cos) / semiAxisVMm;
    return u * u + v * v + w * w <= 1;
  }
}
