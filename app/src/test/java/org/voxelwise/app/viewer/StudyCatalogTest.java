package org.voxelwise.app.viewer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.dicom.LoadedSeries;
import org.voxelwise.imaging.nifti.NiftiWriter;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.simulate.CalibrationPhantom;
import org.voxelwise.imaging.volume.Volume;

class StudyCatalogTest {
  @TempDir Path temp;

  @Test
  void aFourDStudyIsOneEntryBesideItsPriorAndIsOpenedFirst() throws Exception {
    StudyCatalog catalog =
        StudyCatalog.scan(ViewerTestSupport.sampleData().resolve("cbct4d"), ProgressListener.NONE);
    assertEquals(2, catalog.entries().size());
    StudyCatalog.Entry largest = catalog.largest();
    assertEquals(10, largest.phases());
    assertEquals(25, largest.slices());
    assertTrue(largest.summary().endsWith("25 images × 10 phases"), largest.summary());
    Volume middle = StudyCatalog.loadMiddleImage(largest);
    assertEquals(1, middle.geometry().sizeZ());
    LoadedSeries all = StudyCatalog.load(largest, ProgressListener.NONE);
    assertEquals(10, all.phases().phaseCount());
    // The middle image is slice 12 of phase 1 (same values, same place).
    Volume first = all.phases().phases().get(0);
    for (int i = 0; i < 128 * 128; i += 97) {
      assertEquals(first.valueAt(i % 128, i / 128, 12), middle.valueAt(i), "voxel " + i);
    }
    assertArrayEquals(
        first.geometry().voxelToPatient(0, 0, 12), middle.geometry().originMm(), 1e-3);
  }

  @Test
  void aNiftiFileIsOneEntry() throws Exception {
    Volume v = CalibrationPhantom.create(32, 24, 6, CalibrationPhantom.defaultSpacingMm(), 1, 5);
    Path file = temp.resolve("phantom.nii.gz");
    NiftiWriter.write(v, file);
    StudyCatalog catalog = StudyCatalog.scan(file, ProgressListener.NONE);
    StudyCatalog.Entry entry = catalog.largest();
    assertNull(StudyCatalog.loadMiddleImage(entry));
    Volume read = StudyCatalog.load(entry, ProgressListener.NONE).volume();
    assertEquals(v.geometry().sizeZ(), read.geometry().sizeZ());
    assertEquals(v.valueAt(10, 10, 3), read.valueAt(10, 10, 3), 1e-3);
  }

  @Test
  void aFolderWithoutImagesIsABadInputNamingIt() throws Exception {
    Path empty = temp.resolve("no images");
    Files.createDirectories(empty);
    Files.writeString(empty.resolve("notes.txt"), "not DICOM");
    BadInputException e =
        assertThrows(
            BadInputException.class, () -> StudyCatalog.scan(empty, ProgressListener.NONE));
    assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
  }
}
