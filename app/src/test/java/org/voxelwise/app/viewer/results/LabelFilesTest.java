package org.voxelwise.app.viewer.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.nifti.NiftiWriter;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.LabelVolume;
import org.voxelwise.imaging.volume.LiverTumorLabels;
import org.voxelwise.imaging.volume.Volume;

class LabelFilesTest {
  private static final Geometry GRID =
      new Geometry(
          6,
          5,
          4,
          new double[] {0.8, 0.8, 2.5},
          new double[] {-100, -80, 40},
          new double[] {1, 0, 0},
          new double[] {0, 0.96, -0.28},
          new double[] {0, 0.28, 0.96});

  @TempDir Path dir;

  @Test
  void labelsOnTheImagesGridReadBackWithLiverTumorAndOtherNames() throws Exception {
    byte[] values = new byte[120];
    values[0] = 1;
    values[7] = 2;
    values[100] = 7;
    List<LabelVolume.Label> table =
        List.of(
            LiverTumorLabels.TABLE.get(0),
            LiverTumorLabels.TABLE.get(1),
            new LabelVolume.Label(7, "x", 0x123456, null));
    Path file = dir.resolve("labels.nii.gz");
    NiftiWriter.write(new LabelVolume(GRID, values, table), file);

    LabelVolume back = LabelFiles.readNifti(file, GRID);

    assertSame(GRID, back.geometry(), "laid on the image's own grid");
    assertArrayEquals(values, back.values());
    assertEquals(LiverTumorLabels.TABLE, back.table().subList(0, 2));
    assertEquals("label 7", back.label(7).orElseThrow().name());
    assertEquals(3, back.table().size());
  }

  @Test
  void anotherGridIsRefusedNamingTheFileAndBothGrids() throws Exception {
    Geometry shifted =
        new Geometry(
            6,
            5,
            4,
            new double[] {0.8, 0.8, 2.5},
            new double[] {-100, -80, 42},
            GRID.axisX(),
            GRID.axisY(),
            GRID.axisZ());
    Path file = dir.resolve("shifted.nii");
    NiftiWriter.write(new LabelVolume(shifted, new byte[120], List.of()), file);

    BadInputException e =
        assertThrows(BadInputException.class, () -> LabelFiles.readNifti(file, GRID));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    assertTrue(e.getMessage().contains("origin (-100.0, -80.0, 42.0)"), e.getMessage());
  }

  @Test
  void valuesThatAreNoLabelsAreRefused() throws Exception {
    float[] values = new float[120];
    values[3] = 1.5f;
    Path file = dir.resolve("probabilities.nii");
    NiftiWriter.write(Volume.ofFloats(GRID, "", values), file);

    BadInputException e =
        assertThrows(BadInputException.class, () -> LabelFiles.readNifti(file, GRID));
    assertTrue(e.getMessage().contains("voxel 3 holds 1.5"), e.getMessage());
  }
}
