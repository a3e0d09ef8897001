package org.voxelwise.imaging.simulate;

import java.util.Objects;
import org.voxelwise.imaging.volume.Geometry;

/**
 * The projections of a fan-beam scan of a stack of axial slices: for each projection its gantry
 * angle and time, and for each slice of {@link #grid()} one row of line integrals of μ (no unit: μ
 * in 1/mm times length in mm) over the detector bins.
 *
 * <p>{@code values(n)} holds projection n's rows one after the other: slice k, bin b at index
 * {@code k · bins + b}. The arrays are shared, not copied; callers must not change them.
 */
public final class Sinogram {
  private final FanBeamGeometry fan;
  private final Geometry grid;
  private final double[] anglesRad;
  private final double[] timesS;
  private final float[][] values;

  /**
   * @throws IllegalArgumentException when the numbers of angles, times and projections differ, or a
   *     projection does not hold {@code grid.sizeZ() · fan.bins()} values
   */
  public Sinogram(
      FanBeamGeometry fan, Geometry grid, double[] anglesRad, double[] timesS, float[][] values) {
    this.fan = Objects.requireNonNull(fan, "fan");
    this.grid = Objects.requireNonNull(grid, "grid");
    if (anglesRad.length != values.length || timesS.length != values.length) {
      throw new IllegalArgumentException(
          anglesRad.length
              + " angles and "
              + timesS.length
              + " times for "
              + values.length
              + " projections");
    }
    for (float[] v : values) {
      if (v.length != grid.sizeZ() * fan.bins()) {
        throw new IllegalArgumentException(
            "a projection holds " + v.length + " values, not slices × bins");
      }
    }
    this.anglesRad = anglesRad.clone();
    this.timesS = timesS.clone();
    this.values = values;
  }

  public FanBeamGeometry fan() {
    return fan;
  }

  /** The slices scanned (the grid of the reconstruction). */
  public Geometry grid() {
    return grid;
  }

  public int projectionCount() {
    return values.length;
  }

  /** Gantry angle of projection {@code n} in radians. */
  public double angleRad(int n) {
    return anglesRad[n];
  }

  /** Time of projection {@code n} in seconds from the start of the scan. */
  public double timeS(int n) {
    return timesS[n];
  }

  /** The line integrals of projection {@code n}, slice by slice (shared; do not modify). */
  public float[] values(int n) {
    return values[n];
  }
}
