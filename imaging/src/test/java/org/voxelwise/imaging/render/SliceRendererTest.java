package org.voxelwise.imaging.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;

class SliceRendererTest {
  @Test
  void rendersTheSliceInTheWindowThenTheOverlay() {
    Geometry g = Geometry.axisAligned(2, 2, 2, new double[] {1, 1, 1}, new double[3]);
    Volume v = Volume.ofFloats(g, "CT", new float[] {0, 0, 0, 0, -1000, 40, 240, 1000});
    int[] out = new int[4];
    int[] calls = new int[3];
    SliceOverlay overlay =
        (plane, slice, phase, argb) -> {
          calls[0]++;
          calls[1] = slice;
          calls[2] = phase;
          argb[0] = 0xffff0000;
        };
    new SliceRenderer()
        .render(v, new SlicePlane(g, Plane.AXIAL), 1, 3, WindowLevel.ABDOMEN, overlay, out);
    assertArrayEquals(new int[] {0xffff0000, 0xff808080, 0xffffffff, 0xffffffff}, out);
    assertArrayEquals(new int[] {1, 1, 3}, calls);
    int[] axial = new int[4];
    WindowLevel.ABDOMEN.renderAxial(v, 1, axial);
    new SliceRenderer()
        .render(v, new SlicePlane(g, Plane.AXIAL), 1, 0, WindowLevel.ABDOMEN, null, out);
    assertArrayEquals(axial, out);
  }

  @Test
  void sixteenBitVolumesThroughTheLookupTableMatchTheWindowValueByValue() {
    Geometry g = Geometry.axisAligned(64, 48, 3, new double[] {1, 1, 1}, new double[3]);
    short[] values = new short[(int) g.voxelCount()];
    java.util.Random random = new java.util.Random(9);
    for (int i = 0; i < values.length; i++) {
      values[i] = (short) random.nextInt(65536); // the whole 16-bit range, negatives included
    }
    Volume v = Volume.ofShorts(g, "CT", values);
    SliceRenderer renderer = new SliceRenderer();
    int[] out = new int[64 * 48];
    int[] expected = new int[64 * 48];
    for (WindowPreset preset : WindowPreset.values()) {
      renderer.render(v, new SlicePlane(g, Plane.AXIAL), 2, 0, preset.window(), null, out);
      preset.window().renderAxial(v, 2, expected);
      assertArrayEquals(expected, out, preset.name());
    }
  }

  @Test
  void narrowerWindowsGiveMoreContrast() {
    assertEquals(0xff000000, WindowPreset.BRAIN.window().argb(0));
    assertEquals(0xffffffff, WindowPreset.BRAIN.window().argb(80));
    assertEquals(WindowPreset.LUNG.window().argb(-600), 0xff808080);
  }
}
