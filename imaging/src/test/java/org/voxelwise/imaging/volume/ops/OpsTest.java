package org.voxelwise.imaging.volume.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.LabelVolume;
import org.voxelwise.imaging.volume.Volume;
import org.voxelwise.imaging.volume.ops.ConnectedComponents.Connectivity;

/** Resampling, connected components, distance transform and morphology on hand-made volumes. */
class OpsTest {

  @Test
  void trilinearReproducesALinearRampAndIdentityIsExact() {
    Geometry from = Geometry.axisAligned(10, 8, 6, new double[] {2, 3, 4}, new double[] {5, 6, 7});
    float[] ramp = new float[480];
    for (int z = 0; z < 6; z++) {
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 10; x++) {
          double[] p = from.voxelToPatient(x, y, z);
          ramp[x + 10 * (y + 8 * z)] = (float) (p[0] + 2 * p[1] - p[2]);
        }
      }
    }
    assertArrayEquals(ramp, Resampling.trilinear(ramp, from, from, -1));
    Geometry to =
        Geometry.axisAligned(7, 9, 5, new double[] {1.7, 2.1, 3.3}, new double[] {6.1, 8.2, 9.9});
    float[] r = Resampling.trilinear(ramp, from, to, Float.NaN);
    for (int z = 0; z < 5; z++) {
      for (int y = 0; y < 9; y++) {
        for (int x = 0; x < 7; x++) {
          double[] p = to.voxelToPatient(x, y, z);
          assertEquals(p[0] + 2 * p[1] - p[2], r[x + 7 * (y + 9 * z)], 1e-3);
        }
      }
    }
    Geometry far = Geometry.axisAligned(2, 2, 2, new double[] {1, 1, 1}, new double[] {500, 0, 0});
    assertArrayEquals(new float[8], Resampling.trilinear(ramp, from, far, 0f));
  }

  @Test
  void trilinearVolumeKeepsModalityAndHandlesRotatedGrids() {
    Geometry from = Geometry.axisAligned(4, 4, 4, new double[] {1, 1, 1}, new double[] {0, 0, 0});
    short[] v = new short[64];
    for (int i = 0; i < 64; i++) {
      v[i] = (short) (i % 4);
    }
    // the same grid with x and y swapped: value at (i, j) = i of the source at (j, i) = j
    Geometry swapped =
        new Geometry(
            4,
            4,
            4,
            new double[] {1, 1, 1},
            new double[] {0, 0, 0},
            new double[] {0, 1, 0},
            new double[] {1, 0, 0},
            new double[] {0, 0, -1});
    Volume r = Resampling.trilinear(Volume.ofShorts(from, "CT", v), swapped, -1000);
    assertEquals("CT", r.modality());
    assertEquals(2f, r.valueAt(0, 2, 0));
    assertEquals(-1000f, r.valueAt(0, 0, 1), "z goes the other way: outside");
  }

  @Test
  void nearestLabelsRoundTripThroughAFinerGrid() {
    Geometry coarse = Geometry.axisAligned(4, 4, 2, new double[] {2, 2, 4}, new double[] {0, 0, 0});
    byte[] labels = new byte[32];
    labels[5] = 1;
    labels[5 + 16] = 2;
    LabelVolume lv =
        new LabelVolume(
            coarse,
            labels,
            List.of(
                new LabelVolume.Label(1, "liver", 0xff0000, null),
                new LabelVolume.Label(2, "tumor", 0x00ff00, null)));
    Geometry fine =
        Geometry.axisAligned(8, 8, 4, new double[] {1, 1, 2}, new double[] {-0.4, -0.4, -0.9});
    LabelVolume f = Resampling.nearest(lv, fine);
    assertEquals(8, f.count(1), "each coarse voxel becomes 2×2×2 fine ones");
    assertEquals(8, f.count(2));
    assertArrayEquals(labels, Resampling.nearest(f, coarse).values());
    assertEquals(lv.table(), f.table());
  }

  @Test
  void connectivityDecidesWhetherDiagonalsTouch() {
    boolean[] m = new boolean[27];
    m[0] = true; // (0,0,0)
    m[13] = true; // (1,1,1), corner neighbour
    m[26] = true; // (2,2,2)
    m[2] = true; // (2,0,0) alone under 6-, with (1,1,1) under 26-connectivity
    assertEquals(4, ConnectedComponents.label(m, 3, 3, 3, Connectivity.SIX).count());
    ConnectedComponents.Components c =
        ConnectedComponents.label(m, 3, 3, 3, Connectivity.TWENTY_SIX);
    assertEquals(1, c.count());
    assertArrayEquals(new int[] {4}, c.sizes());
  }

  @Test
  void largestComponentKeepsOnlyTheBiggestBlob() {
    int n = 10;
    boolean[] m = new boolean[n * n * n];
    for (int z = 1; z < 4; z++) {
      for (int y = 1; y < 4; y++) {
        for (int x = 1; x < 4; x++) {
          m[x + n * (y + n * z)] = true;
        }
      }
    }
    m[8 + n * (8 + n * 8)] = true;
    m[8 + n * (8 + n * 7)] = true;
    boolean[] big = ConnectedComponents.largest(m, n, n, n, Connectivity.SIX);
    assertEquals(27, count(big));
    assertFalse(big[8 + n * (8 + n * 8)]);
    assertEquals(0, count(ConnectedComponents.largest(new boolean[8], 2, 2, 2, Connectivity.SIX)));
    assertThrows(
        IllegalArgumentException.class,
        () -> ConnectedComponents.label(new boolean[7], 2, 2, 2, Connectivity.SIX));
  }

  @Test
  void distanceTransformMatchesBruteForceOnAnisotropicGrid() {
    int nx = 9;
    int ny = 7;
    int nz = 5;
    double[] s = {0.8, 1.3, 2.5};
    Random random = new Random(3);
    boolean[] f = new boolean[nx * ny * nz];
    for (int i = 0; i < 6; i++) {
      f[random.nextInt(f.length)] = true;
    }
    float[] d = DistanceTransform.squaredMm(f, nx, ny, nz, s);
    for (int p = 0; p < f.length; p++) {
      double best = Double.POSITIVE_INFINITY;
      for (int q = 0; q < f.length; q++) {
        if (f[q]) {
          double dx = (p % nx - q % nx) * s[0];
          double dy = ((p / nx) % ny - (q / nx) % ny) * s[1];
          double dz = (p / (nx * ny) - q / (nx * ny)) * s[2];
          best = Math.min(best, dx * dx + dy * dy + dz * dz);
        }
      }
      assertEquals(best, d[p], 1e-3 * (1 + best));
    }
    float[] none = DistanceTransform.squaredMm(new boolean[8], 2, 2, 2, s);
    assertEquals(Float.POSITIVE_INFINITY, none[0]);
  }

  @Test
  void dilationByARadiusInMmIsABallInPatientSpace() {
    Geometry g = Geometry.axisAligned(21, 21, 11, new double[] {1, 1, 2}, new double[] {0, 0, 0});
    boolean[] m = new boolean[21 * 21 * 11];
    int centre = 10 + 21 * (10 + 21 * 5);
    m[centre] = true;
    boolean[] d = Morphology.dilateMm(m, g, 4);
    // voxels within 4 mm: |dx|² + |dy|² + (2·dz)² ≤ 16
    int expected = 0;
    for (int dz = -2; dz <= 2; dz++) {
      for (int dy = -4; dy <= 4; dy++) {
        for (int dx = -4; dx <= 4; dx++) {
          if (dx * dx + dy * dy + 4 * dz * dz <= 16) {
            expected++;
          }
        }
      }
    }
    assertEquals(expected, count(d));
    assertTrue(d[centre + 2 * 21 * 21]);
    assertFalse(d[centre + 3 * 21 * 21]);
    assertEquals(7, count(Morphology.dilateVoxels(m, 21, 21, 11, 1)));
    assertArrayEquals(m, Morphology.dilateMm(m, g, 0));
  }

  @Test
  void holeFillingIn3dAndPerSlice() {
    int n = 7;
    boolean[] shell = new boolean[n * n * n];
    for (int z = 1; z < 6; z++) {
      for (int y = 1; y < 6; y++) {
        for (int x = 1; x < 6; x++) {
          boolean inner = x > 1 && x < 5 && y > 1 && y < 5 && z > 1 && z < 5;
          shell[x + n * (y + n * z)] = !inner;
        }
      }
    }
    assertEquals(125, count(Morphology.fillHoles3d(shell, n, n, n)));
    // a tube open at both ends along z: no 3D hole, but a 2D hole in every slice it crosses
    boolean[] tube = new boolean[n * n * n];
    for (int z = 0; z < n; z++) {
      for (int y = 1; y < 6; y++) {
        for (int x = 1; x < 6; x++) {
          tube[x + n * (y + n * z)] = x == 1 || x == 5 || y == 1 || y == 5;
        }
      }
    }
    assertEquals(count(tube), count(Morphology.fillHoles3d(tube, n, n, n)));
    assertEquals(25 * n, count(Morphology.fillHoles2d(tube, n, n, n)));
  }

  static int count(boolean[] m) {
    int c = 0;
    for (boolean b : m) {
      c += b ? 1 : 0;
    }
    return c;
  }
}
