package org.voxelwise.imaging.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;

class AutoWindowTest {
  @Test
  void spansThe1stTo99thPercentileIgnoringOutliers() {
    // Values 0..9999 plus a few extreme voxels that must not stretch the window.
    float[] values = new float[10_010];
    for (int i = 0; i < 10_000; i++) {
      values[i] = i;
    }
    for (int i = 10_000; i < values.length; i++) {
      values[i] = i % 2 == 0 ? 30_000 : -30_000;
    }
    WindowLevel w = AutoWindow.ofValues(values, values.length);
    assertEquals(5000, w.center(), 120);
    assertEquals(9800, w.width(), 250);
  }

  @Test
  void volumeWindowOfACtFindsItsRange() {
    Geometry g = Geometry.axisAligned(64, 64, 40, new double[] {1, 1, 1}, new double[3]);
    short[] v = new short[(int) g.voxelCount()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (short) (i % 2 == 0 ? -1000 : 1000 * (i % 7) / 6);
    }
    WindowLevel w = AutoWindow.of(Volume.ofShorts(g, "CT", v));
    assertEquals(0, w.center(), 1);
    assertEquals(2000, w.width(), 1);
  }

  @Test
  void aFlatImageGetsWidthOne() {
    WindowLevel w = AutoWindow.ofValues(new float[] {7, 7, 7, 99}, 3);
    assertEquals(7, w.center());
    assertEquals(1, w.width());
  }

  @Test
  void presetsAreTheUsualCtWindows() {
    assertEquals(new WindowLevel(-600, 1500), WindowPreset.LUNG.window());
    assertEquals(new WindowLevel(40, 80), WindowPreset.BRAIN.window());
    assertEquals(WindowLevel.ABDOMEN, WindowPreset.ABDOMEN.window());
    assertEquals(5, WindowPreset.values().length);
  }
}
