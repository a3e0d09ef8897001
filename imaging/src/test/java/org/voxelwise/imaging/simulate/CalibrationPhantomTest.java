package org.voxelwise.imaging.simulate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxelwise.imaging.dicom.CtSeriesWriter;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.simulate.CalibrationPhantom.Insert;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;

class CalibrationPhantomTest {
  /** Mean and count of the voxels whose centre (x, y) in mm satisfies {@code inside}. */
  private static double[] mean(Volume v, BiPredicate<Double, Double> inside) {
    Geometry g = v.geometry();
    double sum = 0;
    long count = 0;
    for (int k = 0; k < g.sizeZ(); k++) {
      for (int j = 0; j < g.sizeY(); j++) {
        for (int i = 0; i < g.sizeX(); i++) {
          double[] p = g.voxelToPatient(i, j, k);
          if (inside.test(p[0], p[1])) {
            sum += v.valueAt(i, j, k);
            count++;
          }
        }
      }
    }
    return new double[] {sum / count, count};
  }

  @Test
  void insertsHaveTheirNominalHu() {
    Volume v = CalibrationPhantom.createDefault(7);
    Geometry g = v.geometry();
    double margin = 2 * g.spacingMm()[0];
    List<Insert> inserts = CalibrationPhantom.inserts(g);
    assertEquals(CalibrationPhantom.INSERT_MATERIALS.size(), inserts.size());
    for (Insert insert : inserts) {
      double[] m =
          mean(
              v,
              (x, y) ->
                  Math.hypot(x - insert.centreXMm(), y - insert.centreYMm())
                      <= insert.radiusMm() - margin);
      assertTrue(m[1] > 500, insert.name() + " has too few voxels: " + m[1]);
      assertEquals(insert.hu(), m[0], 3, insert.name());
    }
    double water = CalibrationPhantom.waterRadiusMm(g);
    double[] background =
        mean(
            v,
            (x, y) ->
                Math.hypot(x, y) <= water - margin
                    && inserts.stream()
                        .noneMatch(
                            s ->
                                Math.hypot(x - s.centreXMm(), y - s.centreYMm())
                                    <= s.radiusMm() + margin));
    assertEquals(CalibrationPhantom.WATER_HU, background[0], 3);
    double[] air = mean(v, (x, y) -> Math.hypot(x, y) >= water + margin);
    assertEquals(CalibrationPhantom.AIR_HU, air[0], 3);
  }

  @Test
  void insertsLieInsideTheWaterWithoutOverlapping() {
    Geometry g = CalibrationPhantom.geometry(128, 128, 48, CalibrationPhantom.defaultSpacingMm());
    double water = CalibrationPhantom.waterRadiusMm(g);
    List<Insert> inserts = CalibrationPhantom.inserts(g);
    for (int a = 0; a < inserts.size(); a++) {
      Insert s = inserts.get(a);
      assertTrue(Math.hypot(s.centreXMm(), s.centreYMm()) + s.radiusMm() < water);
      for (int b = a + 1; b < inserts.size(); b++) {
        Insert t = inserts.get(b);
        assertTrue(
            Math.hypot(s.centreXMm() - t.centreXMm(), s.centreYMm() - t.centreYMm())
                > s.radiusMm() + t.radiusMm());
      }
    }
  }

  @Test
  void edgesAreSharpWithoutNoise() {
    Volume v = CalibrationPhantom.create(64, 48, 3, new double[] {2, 2, 3}, 1, 0);
    Geometry g = v.geometry();
    assertEquals("CT", v.modality());
    assertArrayEquals(new double[] {-63, -47, 0}, g.originMm(), 1e-12);
    List<Insert> inserts = CalibrationPhantom.inserts(g);
    double water = CalibrationPhantom.waterRadiusMm(g);
    for (int k = 0; k < g.sizeZ(); k++) {
      for (int j = 0; j < g.sizeY(); j++) {
        for (int i = 0; i < g.sizeX(); i++) {
          double[] p = g.voxelToPatient(i, j, k);
          double expected = Math.hypot(p[0], p[1]) <= water ? 0 : -1000;
          for (Insert s : inserts) {
            if (s.contains(p[0], p[1])) {
              expected = s.hu();
            }
          }
          assertEquals(expected, v.valueAt(i, j, k), 0, "at " + Arrays.toString(p));
        }
      }
    }
  }

  @Test
  void isDeterministicForASeed() {
    Volume a = CalibrationPhantom.create(32, 32, 4, new double[] {3, 3, 5}, 11, 10);
    Volume b = CalibrationPhantom.create(32, 32, 4, new double[] {3, 3, 5}, 11, 10);
    Volume c = CalibrationPhantom.create(32, 32, 4, new double[] {3, 3, 5}, 12, 10);
    assertArrayEquals(a.shortValues(), b.shortValues());
    assertFalse(Arrays.equals(a.shortValues(), c.shortValues()));
    assertThrows(
        IllegalArgumentException.class,
        () -> CalibrationPhantom.create(8, 8, 1, new double[] {1, 1, 1}, 1, -1));
  }

  @Test
  void defaultPhantomIsSmallAsDicom(@TempDir Path dir) throws Exception {
    Volume v = CalibrationPhantom.createDefault(1);
    List<Path> files =
        CtSeriesWriter.write(
            v, dir, CtSeriesWriter.Options.builder().build(), ProgressListener.NONE);
    long bytes = 0;
    try (Stream<Path> all = Files.list(dir)) {
      for (Path p : all.toList()) {
        bytes += Files.size(p);
      }
    }
    assertEquals(CalibrationPhantom.DEFAULT_SIZE_Z, files.size());
    assertTrue(bytes < 2_000_000, "default phantom takes " + bytes + " bytes as DICOM");
  }
}
