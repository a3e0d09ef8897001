package org.voxelwise.app.cli;

import java.nio.file.Path;
import java.util.Locale;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.dicom.DicomIndex;
import org.voxelwise.imaging.dicom.DicomScanner;
import org.voxelwise.imaging.progress.ProgressListener;

/** What the commands do with a PATH argument: a DICOM folder, DICOMDIR or file, or a NIfTI file. */
final class Inputs {
  private Inputs() {}

  static boolean isNifti(Path path) {
    String name = path.getFileName() == null ? "" : path.getFileName().toString();
    name = name.toLowerCase(Locale.ROOT);
    return name.endsWith(".nii") || name.endsWith(".nii.gz");
  }

  /**
   * Scans a DICOM path.
   *
   * @throws BadInputException when the path does not exist or holds no DICOM image
   */
  static DicomIndex scanDicom(Path path, ProgressListener progress) throws BadInputException {
    DicomIndex index = DicomScanner.scan(path, progress);
    if (index.allSeries().isEmpty()) {
      String detail =
          index.filesExamined() == 0
              ? "no files"
              : "no DICOM images ("
                  + index.filesExamined()
                  + " file(s) examined, "
                  + index.nonDicomFiles()
                  + " not DICOM"
                  + (index.warnings().isEmpty()
                      ? ""
                      : ", " + index.warnings().size() + " unreadable")
                  + ")";
      throw new BadInputException(path, detail);
    }
    return index;
  }
}
