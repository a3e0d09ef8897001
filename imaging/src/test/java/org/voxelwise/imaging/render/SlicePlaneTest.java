package org.voxelwise.imaging.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;

class SlicePlaneTest {
  private static final double[] SPACING = {0.8, 0.8, 2.5};

  /** A volume whose value encodes its voxel index: 10000·k + 100·j + i. */
  private static Volume indexed(Geometry g) {
    short[] v = new short[(int) g.voxelCount()];
    for (int k = 0; k < g.sizeZ(); k++) {
      for (int j = 0; j < g.sizeY(); j++) {
        for (int i = 0; i < g.sizeX(); i++) {
          v[i + g.sizeX() * (j + g.sizeY() * k)] = (short) (1000 * k + 100 * j + i);
        }
      }
    }
    return Volume.ofShorts(g, "CT", v);
  }

  private static Geometry axialGrid() {
    return Geometry.axisAligned(5, 4, 3, SPACING, new double[] {-10, -20, 30});
  }

  @Test
  void axialIsTheStoredSliceWithLeftOnTheRightAndAnteriorOnTop() {
    SlicePlane p = new SlicePlane(axialGrid(), Plane.AXIAL);
    assertEquals(5, p.width());
    assertEquals(4, p.height());
    assertEquals(3, p.sliceCount());
    assertEquals(1.0, p.aspect(), 1e-12);
    assertArrayEquals(new String[] {"R", "L", "A", "P"}, p.edgeLetters());
    float[] out = new float[20];
    SliceExtractor.extract(indexed(axialGrid()), p, 2, out);
    assertEquals(2000, out[0]);
    assertEquals(2000 + 4, out[4]);
    assertEquals(2000 + 100, out[5]);
    assertEquals(30 + 2 * 2.5, p.slicePositionMm(2), 1e-9);
  }

  @Test
  void coronalOfTwoAndAHalfMillimetreSlicesHasTheHeadOnTopAndAspectFromTheSpacing() {
    SlicePlane p = new SlicePlane(axialGrid(), Plane.CORONAL);
    assertEquals(5, p.width());
    assertEquals(3, p.height());
    assertEquals(4, p.sliceCount());
    assertEquals(2.5 / 0.8, p.aspect(), 1e-12);
    assertEquals(0.8, p.pixelWidthMm(), 1e-12);
    assertEquals(2.5, p.pixelHeightMm(), 1e-12);
    assertArrayEquals(new String[] {"R", "L", "S", "I"}, p.edgeLetters());
    float[] out = new float[15];
    SliceExtractor.extract(indexed(axialGrid()), p, 1, out);
    // Top row is the highest slice (k = 2), bottom row k = 0.
    assertEquals(2000 + 100 + 0, out[0]);
    assertEquals(2000 + 100 + 4, out[4]);
    assertEquals(0 + 100 + 3, out[2 * 5 + 3]);
    assertArrayEquals(new int[] {3, 1, 0}, p.voxelAt(3, 2, 1));
    assertArrayEquals(new double[] {3, 2, 1}, p.pixelOf(new double[] {3, 1, 0}), 1e-12);
  }

  @Test
  void sagittalHasAnteriorOnTheLeftAndTheHeadOnTop() {
    SlicePlane p = new SlicePlane(axialGrid(), Plane.SAGITTAL);
    assertEquals(4, p.width());
    assertEquals(3, p.height());
    assertEquals(5, p.sliceCount());
    assertEquals(2.5 / 0.8, p.aspect(), 1e-12);
    assertArrayEquals(new String[] {"A", "P", "S", "I"}, p.edgeLetters());
    float[] out = new float[12];
    SliceExtractor.extract(indexed(axialGrid()), p, 4, out);
    assertEquals(2000 + 0 + 4, out[0]);
    assertEquals(2000 + 300 + 4, out[3]);
    assertEquals(0 + 300 + 4, out[11]);
    assertEquals(-10 + 4 * 0.8, p.slicePositionMm(4), 1e-9);
  }

  @Test
  void aSagittalAcquisitionShowsEachPlaneTheRightWayRound() {
    // Along a row (x) posterior→anterior, down a column (y) head→feet, slices from the patient's
    // left to right: a sagittal acquisition.
    Geometry g =
        new Geometry(
            6,
            7,
            4,
            new double[] {1, 2, 3},
            new double[3],
            new double[] {0, -1, 0},
            new double[] {0, 0, -1},
            new double[] {-1, 0, 0});
    SlicePlane sagittal = new SlicePlane(g, Plane.SAGITTAL);
    assertEquals(4, sagittal.sliceCount());
    assertEquals(6, sagittal.width());
    assertEquals(7, sagittal.height());
    assertArrayEquals(new String[] {"A", "P", "S", "I"}, sagittal.edgeLetters());
    SlicePlane axial = new SlicePlane(g, Plane.AXIAL);
    assertEquals(7, axial.sliceCount());
    assertEquals(4, axial.width());
    assertEquals(6, axial.height());
    assertEquals(1.0 / 3, axial.aspect(), 1e-12);
    assertArrayEquals(new String[] {"R", "L", "A", "P"}, axial.edgeLetters());
    // Axial pixel (0, 0) is the patient's right-anterior corner: the last slice (x = −3·3 mm is
    // the patient's right) and the last column (most anterior).
    assertArrayEquals(new int[] {5, 2, 3}, axial.voxelAt(0, 0, 2));
    float[] out = new float[24];
    Volume v = indexed(g);
    SliceExtractor.extract(v, axial, 2, out);
    for (int row = 0; row < 6; row++) {
      for (int col = 0; col < 4; col++) {
        int[] vox = axial.voxelAt(col, row, 2);
        assertEquals(v.valueAt(vox[0], vox[1], vox[2]), out[col + 4 * row]);
      }
    }
  }

  @Test
  void anObliqueGridNamesBothDirectionsOfEachEdge() {
    double c = Math.cos(Math.toRadians(30));
    double s = Math.sin(Math.toRadians(30));
    Geometry g =
        new Geometry(
            8,
            8,
            8,
            new double[] {1, 1, 1},
            new double[3],
            new double[] {c, s, 0},
            new double[] {-s, c, 0},
            new double[] {0, 0, 1});
    SlicePlane axial = new SlicePlane(g, Plane.AXIAL);
    // Screen right runs along (cos30, sin30, 0): mostly left, a little posterior; screen down
    // along (−sin30, cos30, 0): mostly posterior, a little right.
    assertArrayEquals(new String[] {"RA", "LP", "AL", "PR"}, axial.edgeLetters());
    SlicePlane coronal = new SlicePlane(g, Plane.CORONAL);
    assertArrayEquals(new String[] {"RA", "LP", "S", "I"}, coronal.edgeLetters());
  }

  @Test
  void lettersListEveryComponentAboveTheThresholdLargestFirst() {
    assertEquals("R", SlicePlane.orientationLetters(new double[] {-1, 0, 0}));
    assertEquals("SPL", SlicePlane.orientationLetters(new double[] {0.3, 0.5, 0.8}));
    assertEquals("I", SlicePlane.orientationLetters(new double[] {0.05, 0, -1}));
  }

  @Test
  void flatIndexWalkMatchesVoxelAt() {
    Geometry g = axialGrid();
    for (Plane plane : Plane.values()) {
      SlicePlane p = new SlicePlane(g, plane);
      for (int s = 0; s < p.sliceCount(); s++) {
        for (int v = 0; v < p.height(); v++) {
          for (int u = 0; u < p.width(); u++) {
            int[] vox = p.voxelAt(u, v, s);
            int flat = vox[0] + g.sizeX() * (vox[1] + g.sizeY() * vox[2]);
            assertEquals(flat, p.baseIndex(s) + u * p.stepU() + v * p.stepV(), plane + " " + u);
            assertEquals(s, p.sliceOf(vox));
          }
        }
      }
    }
  }
}
