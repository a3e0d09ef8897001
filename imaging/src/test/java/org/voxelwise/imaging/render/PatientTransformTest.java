package org.voxelwise.imaging.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.voxelwise.imaging.volume.Geometry;

class PatientTransformTest {
  @Test
  void voxelToPatientAndBackOnATiltedObliqueGrid() {
    double c = Math.cos(Math.toRadians(20));
    double s = Math.sin(Math.toRadians(20));
    Geometry g =
        new Geometry(
            64,
            48,
            30,
            new double[] {0.7, 0.9, 2.5},
            new double[] {-120, 35, 410},
            new double[] {c, s, 0},
            new double[] {-s, c, 0.1},
            new double[] {0.05, -0.2, 1});
    PatientTransform t = new PatientTransform(g);
    double[] p = t.toPatient(12.5, 7, 29);
    assertArrayEquals(g.voxelToPatient(12.5, 7, 29), p, 1e-9);
    assertArrayEquals(new double[] {12.5, 7, 29}, t.toVoxel(p[0], p[1], p[2]), 1e-9);
    assertArrayEquals(new double[] {0, 0, 0}, t.toVoxel(-120, 35, 410), 1e-9);
  }

  @Test
  void axisAlignedIsOriginPlusIndexTimesSpacing() {
    Geometry g =
        Geometry.axisAligned(10, 10, 10, new double[] {0.5, 0.5, 3}, new double[] {1, 2, 3});
    PatientTransform t = new PatientTransform(g);
    assertArrayEquals(new double[] {3, 4.5, 30}, t.toPatient(4, 5, 9), 1e-12);
    assertArrayEquals(new double[] {4, 5, 9}, t.toVoxel(3, 4.5, 30), 1e-12);
  }
}
