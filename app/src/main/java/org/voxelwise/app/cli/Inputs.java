package org.voxelwise.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.dicom.DicomIndex;
import org.voxelwise.imaging.dicom.DicomScanner;
import org.voxelwise.imaging.dicom.LoadedSeries;
import org.voxelwise.imaging.dicom.SeriesLoader;
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

  /**
   * Scans a DICOM path and loads one series (all its phases), printing the loader's warnings on
   * {@code err}. With several series, {@code series} (a Series Instance UID or number) chooses.
   *
   * @throws BadInputException when there is no such series, or several and none chosen
   */
  static LoadedSeries loadSeries(
      Path path, String series, ProgressListener progress, PrintWriter err)
      throws BadInputException {
    return loadChosen(path, series, progress, err).loaded();
  }

  /** A loaded series and the scanned series (its files' headers) it was loaded from. */
  record Chosen(DicomIndex.Series series, LoadedSeries loaded) {}

  /** As {@link #loadSeries}, keeping the scanned series too (e.g. to refer to its images). */
  static Chosen loadChosen(Path path, String series, ProgressListener progress, PrintWriter err)
      throws BadInputException {
    DicomIndex index = scanDicom(path, progress.part(0, 0.2));
    DicomIndex.Series chosen = choose(path, index.allSeries(), series);
    LoadedSeries loaded = SeriesLoader.load(chosen, progress.part(0.2, 0.9));
    loaded.warnings().forEach(w -> err.println("warning: " + w));
    return new Chosen(chosen, loaded);
  }

  private static DicomIndex.Series choose(Path path, List<DicomIndex.Series> all, String series)
      throws BadInputException {
    if (series != null) {
      return all.stream()
          .filter(
              s ->
                  s.seriesInstanceUid().equals(series)
                      || String.valueOf(s.seriesNumber()).equals(series))
          .findFirst()
          .orElseThrow(
              () -> new BadInputException(path.toString(), "no series " + series + " here"));
    }
    if (all.size() == 1) {
      return all.get(0);
    }
    String choices =
        String.join(
            ", ",
            all.stream()
                .map(
                    s ->
                        s.seriesNumber()
                            + " = "
                            + s.seriesInstanceUid()
                            + " ("
                            + s.modality()
                            + ")")
                .toList());
    throw new BadInputException(
        path.toString(), "holds " + all.size() + " series; choose one with --series: " + choices);
  }
}
