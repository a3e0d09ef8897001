package org.voxelwise.segmentation.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.voxelwise.imaging.volume.Geometry;

/** Segmentation and image metrics on hand-made volumes with known answers. */
class MetricsTest {

  private static boolean[] sphere(Geometry g, double[] centreMm, double radiusMm) {
    boolean[] m = new boolean[(int) g.voxelCount()];
    for (int z = 0; z < g.sizeZ(); z++) {
      for (int y = 0; y < g.sizeY(); y++) {
        for (int x = 0; x < g.sizeX(); x++) {
          double[] p = g.voxelToPatient(x, y, z);
          double dx = p[0] - centreMm[0];
          double dy = p[1] - centreMm[1];
          double dz = p[2] - centreMm[2];
          m[x + g.sizeX() * (y + g.sizeY() * z)] =
              dx * dx + dy * dy + dz * dz <= radiusMm * radiusMm;
        }
      }
    }
    return m;
  }

  @Test
  void diceAndVolumeDifferenceOnCountedMasks() {
    boolean[] a = {true, true, true, false, false, false};
    boolean[] b = {false, true, true, true, true, false};
    assertEquals(2.0 * 2 / (3 + 4), SegmentationMetrics.dice(a, b), 1e-12);
    assertEquals(-25.0, SegmentationMetrics.volumeDifferencePercent(a, b), 1e-12);
    boolean[] none = new boolean[6];
    assertEquals(1.0, SegmentationMetrics.dice(none, none));
    assertEquals(0.0, SegmentationMetrics.dice(a, none));
    assertEquals(0.0, SegmentationMetrics.volumeDifferencePercent(none, none));
    assertTrue(Double.isNaN(SegmentationMetrics.volumeDifferencePercent(a, none)));
    assertThrows(IllegalArgumentException.class, () -> SegmentationMetrics.dice(a, new boolean[2]));
    boolean[] m = SegmentationMetrics.mask(new byte[] {0, 1, 2, (byte) 200}, 200);
    assertTrue(m[3] && !m[0] && !m[1] && !m[2]);
  }

  @Test
  void hausdorff95OfShiftedSpheresIsAboutTheShift() {
    Geometry g = Geometry.axisAligned(64, 64, 40, new double[] {1, 1, 2.5}, new double[] {0, 0, 0});
    boolean[] a = sphere(g, new double[] {30, 32, 50}, 15);
    boolean[] b = sphere(g, new double[] {36, 32, 50}, 15);
    double hd = SegmentationMetrics.hausdorff95Mm(a, b, g);
    assertEquals(6, hd, 1.0);
    assertEquals(0, SegmentationMetrics.hausdorff95Mm(a, a, g));
    // a shift along z, where voxels are 2.5 mm apart
    boolean[] c = sphere(g, new double[] {30, 32, 60}, 15);
    assertEquals(10, SegmentationMetrics.hausdorff95Mm(a, c, g), 1.5);
    boolean[] none = new boolean[a.length];
    assertEquals(0, SegmentationMetrics.hausdorff95Mm(none, none, g));
    assertTrue(Double.isNaN(SegmentationMetrics.hausdorff95Mm(a, none, g)));
  }

  @Test
  void hausdorff95IsFastOnATypicalVolume() {
    Geometry g =
        Geometry.axisAligned(256, 256, 100, new double[] {1.5, 1.5, 2.5}, new double[] {0, 0, 0});
    boolean[] a = sphere(g, new double[] {190, 190, 125}, 60);
    boolean[] b = sphere(g, new double[] {193, 190, 125}, 58);
    long t0 = System.nanoTime();
    double hd = SegmentationMetrics.hausdorff95Mm(a, b, g);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(5, hd, 1.6);
    assertTrue(ms < 5000, "took " + ms + " ms");
  }

  @Test
  void rmsePsnrAndSsimHaveTheirTextbookValues() {
    float[] ref = {0, 1, 2, 3};
    float[] img = {1, 1, 2, 1};
    assertEquals(Math.sqrt((1 + 4) / 4.0), ImageMetrics.rmse(img, ref), 1e-12);
    assertEquals(20 * Math.log10(3 / Math.sqrt(1.25)), ImageMetrics.psnr(img, ref, 3), 1e-12);
    assertEquals(Double.POSITIVE_INFINITY, ImageMetrics.psnr(ref, ref, 3));

    // one 7×7 window, zero-mean image a and reference 2a: SSIM = (4·var + C2) / (5·var + C2)
    float[] a = new float[49];
    float[] b = new float[49];
    double sumSq = 0;
    for (int i = 0; i < 49; i++) {
      a[i] = (i % 2 == 0 ? 1 : -1) * (i < 48 ? 1 : 0);
      b[i] = 2 * a[i];
      sumSq += a[i] * a[i];
    }
    double mean = 0;
    for (float v : a) {
      mean += v;
    }
    mean /= 49;
    double var = (sumSq / 49 - mean * mean) * 49 / 48.0;
    double range = 4;
    double c1 = Math.pow(0.01 * range, 2);
    double c2 = Math.pow(0.03 * range, 2);
    double l = (2 * mean * 2 * mean + c1) / (mean * mean + 4 * mean * mean + c1);
    double cs = (4 * var + c2) / (5 * var + c2);
    assertEquals(l * cs, ImageMetrics.ssim(a, b, 7, 7, 1, range), 1e-9);
    assertEquals(1.0, ImageMetrics.ssim(a, a, 7, 7, 1, range), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> ImageMetrics.ssim(a, b, 7, 7, 2, range));
  }
}
