package org.voxelwise.imaging.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;

class WindowLevelTest {
  @Test
  void mapsTheWindowOntoBlackToWhiteAndClampsOutside() {
    WindowLevel w = WindowLevel.ABDOMEN; // -160..240 HU
    assertEquals(0, w.grey(-1000));
    assertEquals(0, w.grey(-160));
    assertEquals(128, w.grey(40));
    assertEquals(255, w.grey(240));
    assertEquals(255, w.grey(3000));
  }

  @Test
  void rendersTheRequestedSliceRowByRow() {
    Geometry g = Geometry.axisAligned(2, 2, 2, new double[] {1, 1, 1}, new double[3]);
    Volume v = Volume.ofShorts(g, "CT", new short[] {0, 0, 0, 0, -1000, 40, 240, 1000});
    int[] out = new int[4];
    WindowLevel.ABDOMEN.renderAxial(v, 1, out);
    assertArrayEquals(
        new int[] {0xff000000, 0xff808080, 0xffffffff, 0xffffffff}, out, "slice 1 in W/L 40/400");
    assertThrows(IndexOutOfBoundsException.class, () -> WindowLevel.ABDOMEN.renderAxial(v, 2, out));
  }

  @Test
  void rejectsAnEmptyWindow() {
    assertThrows(IllegalArgumentException.class, () -> new WindowLevel(0, 0));
  }
}
