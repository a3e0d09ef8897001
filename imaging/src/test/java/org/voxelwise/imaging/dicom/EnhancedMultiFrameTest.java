package org.voxelwise.imaging.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.volume.Volume;

/**
 * Enhanced CT (multi-frame) files made by pydicom from CT_small's pixels: the frames' positions
 * come from the per-frame functional groups, the rescale from the shared (or per-frame) groups, and
 * temporal positions from each frame's FrameContentSequence.
 */
class EnhancedMultiFrameTest {
  @TempDir Path dir;

  /** Stored value of pixel (0,0) that marks each frame; real value = marker − 1024. */
  private static int marker(double realValue) {
    return (int) realValue + 1024;
  }

  private LoadedSeries make(String spec) throws IOException, BadInputException {
    Path specFile = dir.resolve("spec.json");
    Files.writeString(specFile, spec);
    Path out = dir.resolve("enhanced.dcm");
    Reference.pythonOk(
        "enhanced",
        Reference.testFile("CT_small.dcm").toString(),
        specFile.toString(),
        out.toString());
    return Reference.loadOnly(out);
  }

  @Test
  void framesAreOrderedByTheirOwnPositionsNotByFrameNumber() throws Exception {
    // frame order 2, 0, 3, 1 along z; markers say which frame is where
    LoadedSeries s =
        make(
            "[{\"z\": 5.0, \"marker\": 1102}, {\"z\": -5.0, \"marker\": 1100},"
                + " {\"z\": 10.0, \"marker\": 1103}, {\"z\": 0.0, \"marker\": 1101}]");
    Volume v = s.volume();
    assertEquals(4, v.geometry().sizeZ());
    assertEquals(5.0, v.geometry().spacingMm()[2], 1e-9);
    assertEquals(-5.0, v.geometry().originMm()[2], 1e-4);
    int plane = v.geometry().sizeX() * v.geometry().sizeY();
    for (int z = 0; z < 4; z++) {
      assertEquals(1100 + z - 1024, v.valueAt(z * plane), "marker of slice " + z);
    }
    assertTrue(s.warnings().isEmpty(), s.warnings().toString());
  }

  @Test
  void perFrameRescaleOverridesTheSharedOne() throws Exception {
    LoadedSeries s =
        make(
            "[{\"z\": 0.0, \"marker\": 1000}, {\"z\": 1.0, \"marker\": 1000, \"intercept\":"
                + " -1000}]");
    Volume v = s.volume();
    int plane = v.geometry().sizeX() * v.geometry().sizeY();
    assertEquals(1000 - 1024, v.valueAt(0));
    assertEquals(1000 - 1000, v.valueAt(plane));
  }

  @Test
  void temporalPositionsInFrameContentMakeA4dVolume() throws Exception {
    StringBuilder spec = new StringBuilder("[");
    int[] zs = {0, 2, 4};
    for (int t = 1; t <= 3; t++) {
      for (int z : zs) {
        spec.append(spec.length() > 1 ? "," : "")
            .append(
                String.format(
                    "{\"z\": %d.0, \"temporal\": %d, \"marker\": %d}", z, t, marker(t * 10 + z)));
      }
    }
    LoadedSeries s = make(spec.append("]").toString());
    assertTrue(s.is4D());
    assertEquals(3, s.phases().phaseCount());
    int plane = s.volume().geometry().sizeX() * s.volume().geometry().sizeY();
    for (int t = 0; t < 3; t++) {
      Volume phase = s.phases().phases().get(t);
      assertEquals(3, phase.geometry().sizeZ());
      float[] markers = new float[3];
      for (int k = 0; k < 3; k++) {
        markers[k] = phase.valueAt(k * plane);
      }
      float base = (t + 1) * 10;
      assertArrayEquals(new float[] {base, base + 2, base + 4}, markers, "phase " + (t + 1));
    }
  }
}
