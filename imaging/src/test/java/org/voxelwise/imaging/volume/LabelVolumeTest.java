package org.voxelwise.imaging.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.voxelwise.imaging.volume.LabelVolume.Code;
import org.voxelwise.imaging.volume.LabelVolume.Label;

class LabelVolumeTest {
  private static final Geometry GRID =
      Geometry.axisAligned(4, 3, 2, new double[] {0.5, 2, 3}, new double[] {0, 0, 0});
  private static final List<Label> TABLE =
      List.of(
          new Label(1, "liver", 0xD2691E, new Code("SCT", "10200004", "Liver")),
          new Label(200, "other", 0x00FF00, null));

  @Test
  void countsVolumesAndLooksUpLabels() {
    byte[] v = new byte[24];
    v[0] = 1;
    v[5] = 1;
    v[23] = (byte) 200;
    LabelVolume labels = new LabelVolume(GRID, v, TABLE);
    assertEquals(2, labels.count(1));
    assertEquals(1, labels.count(200));
    assertEquals(21, labels.count(0));
    assertEquals(200, labels.valueAt(3, 2, 1));
    assertEquals(1, labels.valueAt(1, 1, 0));
    assertEquals(2 * 0.5 * 2 * 3 / 1000.0, labels.volumeMl(1), 1e-15);
    assertEquals("liver", labels.label(1).orElseThrow().name());
    assertTrue(labels.label(0).isEmpty());
    assertTrue(labels.label(7).isEmpty());
    assertArrayEquals(v, labels.values());
  }

  @Test
  void rejectsValuesTheTableDoesNotName() {
    byte[] v = new byte[24];
    v[3] = 2;
    assertThrows(IllegalArgumentException.class, () -> new LabelVolume(GRID, v, TABLE));
    assertThrows(IllegalArgumentException.class, () -> new LabelVolume(GRID, new byte[23], TABLE));
    assertThrows(
        IllegalArgumentException.class,
        () -> new LabelVolume(GRID, new byte[24], List.of(TABLE.get(0), TABLE.get(0))));
    assertThrows(IllegalArgumentException.class, () -> new Label(0, "background", 0, null));
    assertThrows(IllegalArgumentException.class, () -> new Label(3, " ", 0, null));
    assertThrows(IllegalArgumentException.class, () -> new Label(3, "x", 0x1000000, null));
    assertThrows(IllegalArgumentException.class, () -> new Code("SCT", "", "Liver"));
  }
}
