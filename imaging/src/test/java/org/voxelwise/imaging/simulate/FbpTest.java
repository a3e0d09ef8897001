package org.voxelwise.imaging.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;

/** Filtered back-projection of a fully sampled scan of a uniform water cylinder. */
class FbpTest {
  private static final double RADIUS_MM = 100;

  private static Sinogram scanCylinder(Geometry grid, int projections) {
    EllipsoidPhantom cylinder =
        new EllipsoidPhantom(List.of(Ellipsoid.axisAligned(0, 0, 0, RADIUS_MM, RADIUS_MM, 1e4, 0)));
    double[] angles = new double[projections];
    for (int n = 0; n < projections; n++) {
      angles[n] = 2 * Math.PI * n / projections;
    }
    return FanBeamScanner.scan(
        grid,
        FanBeamGeometry.forGrid(grid),
        angles,
        new double[projections],
        t -> cylinder,
        1,
        0,
        0,
        ProgressListener.NONE);
  }

  @Test
  void fullySampledWaterCylinderIsWaterInsideAndAirOutside() {
    Geometry grid = ThoraxPhantom4D.grid(128, 128, 2);
    int projections = 720;
    Sinogram sinogram = scanCylinder(grid, projections);
    for (Fbp.Window window : Fbp.Window.values()) {
      Volume v =
          Fbp.reconstruct(
              sinogram, IntStream.range(0, projections).toArray(), window, ProgressListener.NONE);
      double[] inner = stats(v, 0, 0.6 * RADIUS_MM);
      double[] outer = stats(v, RADIUS_MM + 15, 180);
      System.out.printf(
          "%s: water %.2f ± %.2f HU (central 60%% radius), air %.1f ± %.1f HU%n",
          window, inner[0], inner[1], outer[0], outer[1]);
      assertEquals(0, inner[0], 5, window + ": mean HU of water");
      assertEquals(-1000, outer[0], 10, window + ": mean HU of air");
    }
  }

  /** Mean and standard deviation of the voxels with rMin ≤ r &lt; rMax (mm from the axis). */
  static double[] stats(Volume v, double rMin, double rMax) {
    Geometry g = v.geometry();
    double sum = 0;
    double sum2 = 0;
    long n = 0;
    for (int k = 0; k < g.sizeZ(); k++) {
      for (int j = 0; j < g.sizeY(); j++) {
        for (int i = 0; i < g.sizeX(); i++) {
          double[] p = g.voxelToPatient(i, j, k);
          double r = Math.hypot(p[0], p[1]);
          if (r >= rMin && r < rMax) {
            double x = v.valueAt(i, j, k);
            sum += x;
            sum2 += x * x;
            n++;
          }
        }
      }
    }
    double mean = sum / n;
    return new double[] {mean, Math.sqrt(Math.max(0, sum2 / n - mean * mean))};
  }
}
