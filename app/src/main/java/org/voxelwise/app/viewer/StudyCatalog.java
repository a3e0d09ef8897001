package org.voxelwise.app.viewer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.dicom.DicomIndex;
import org.voxelwise.imaging.dicom.DicomScanner;
import org.voxelwise.imaging.dicom.FrameHeader;
import org.voxelwise.imaging.dicom.InstanceHeader;
import org.voxelwise.imaging.dicom.LoadedSeries;
import org.voxelwise.imaging.dicom.PhaseGrouping;
import org.voxelwise.imaging.dicom.SeriesLoader;
import org.voxelwise.imaging.nifti.NiftiReader;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.volume.Volume;
import org.voxelwise.imaging.volume.Volume4D;

/**
 * What the viewer can open from a path: the series of a DICOM folder, DICOMDIR or file (a 4D study
 * stored as one series per phase is one entry), or a NIfTI file. Pure logic, no JavaFX: scanning
 * and loading run on a background thread.
 *
 * @param path what was opened
 * @param entries the openable items, in index order (4D groups first within a study)
 * @param warnings what the scan passed over
 */
public record StudyCatalog(Path path, List<Entry> entries, List<String> warnings) {
  public StudyCatalog {
    entries = List.copyOf(entries);
    warnings = List.copyOf(warnings);
  }

  /**
   * One openable item: a 3D series, the phases of a 4D study, or a NIfTI file.
   *
   * @param patient patient name and id
   * @param study study description and date
   * @param description series description (or file name)
   * @param modality DICOM modality ("" for NIfTI)
   * @param slices image frames per phase
   * @param series the DICOM series (one, or one per phase in temporal order); empty for NIfTI
   * @param niftiFile the NIfTI file, or null for DICOM
   */
  public record Entry(
      String patient,
      String study,
      String description,
      String modality,
      int slices,
      List<DicomIndex.Series> series,
      Path niftiFile) {
    public Entry {
      series = List.copyOf(series);
    }

    /** Number of phases (1 for a 3D series). */
    public int phases() {
      return Math.max(1, series.size());
    }

    /** One line for lists: description, modality, slices, phases. */
    public String summary() {
      String name = description.isBlank() ? "(no description)" : description;
      String phaseText = phases() > 1 ? " × " + phases() + " phases" : "";
      return String.format(
          Locale.ROOT,
          "%s — %s, %d images%s",
          name,
          modality.isBlank() ? "?" : modality,
          slices,
          phaseText);
    }
  }

  /** Whether a path names a NIfTI file (by its extension). */
  public static boolean isNifti(Path path) {
    String name = path.getFileName() == null ? "" : path.getFileName().toString();
    name = name.toLowerCase(Locale.ROOT);
    return name.endsWith(".nii") || name.endsWith(".nii.gz");
  }

  /**
   * Scans a path (headers only for DICOM).
   *
   * @throws BadInputException when nothing openable is found or the path cannot be read
   */
  public static StudyCatalog scan(Path path, ProgressListener progress) throws BadInputException {
    if (isNifti(path)) {
      Path name = path.getFileName();
      return new StudyCatalog(
          path, List.of(new Entry("", "", name.toString(), "", 0, List.of(), path)), List.of());
    }
    DicomIndex index = DicomScanner.scan(path, progress);
    List<Entry> entries = new ArrayList<>();
    for (DicomIndex.Patient p : index.patients()) {
      String patient = (p.patientName() + " " + p.patientId()).trim();
      for (DicomIndex.Study s : p.studies()) {
        String study = (s.description() + " " + s.date()).trim();
        Set<DicomIndex.Series> grouped = new HashSet<>();
        for (List<DicomIndex.Series> group : PhaseGrouping.phaseSeriesGroups(s)) {
          grouped.addAll(group);
          DicomIndex.Series first = group.get(0);
          entries.add(
              new Entry(
                  patient,
                  study,
                  first.description(),
                  first.modality(),
                  first.frameCount(),
                  group,
                  null));
        }
        for (DicomIndex.Series series : s.series()) {
          if (!grouped.contains(series)
              && series.instances().stream().anyMatch(i -> i.hasPixelData())) {
            entries.add(
                new Entry(
                    patient,
                    study,
                    series.description(),
                    series.modality(),
                    series.frameCount(),
                    List.of(series),
                    null));
          }
        }
      }
    }
    if (entries.isEmpty()) {
      String detail = index.warnings().isEmpty() ? "" : " (" + index.warnings().get(0) + ")";
      throw new BadInputException(path, "no DICOM images found" + detail);
    }
    return new StudyCatalog(path, entries, index.warnings());
  }

  /** The entry a reader most likely wants first: the one with the most images in all. */
  public Entry largest() {
    return entries.stream()
        .max(Comparator.comparingInt(e -> e.slices() * e.phases()))
        .orElseThrow();
  }

  /**
   * Loads an entry completely (all phases).
   *
   * @throws BadInputException when it cannot be read
   * @throws org.voxelwise.imaging.progress.OperationCancelledException when cancelled
   */
  public static LoadedSeries load(Entry entry, ProgressListener progress)
      throws BadInputException, IOException {
    if (entry.niftiFile() != null) {
      progress.update(0, "Reading " + entry.niftiFile().getFileName());
      Volume v = NiftiReader.read(entry.niftiFile());
      progress.update(1, "Read " + entry.niftiFile().getFileName());
      return new LoadedSeries(
          "", entry.description(), new Volume4D(List.of(v), List.of("")), List.of());
    }
    if (entry.series().size() == 1) {
      return SeriesLoader.load(entry.series().get(0), progress);
    }
    return SeriesLoader.loadPhases(entry.series(), progress);
  }

  /**
   * Loads only the middle image of a DICOM entry's (first) series — a one-slice volume to show at
   * once while the rest loads, and the source of thumbnails. Null for NIfTI entries.
   *
   * @throws BadInputException when that image cannot be decoded
   */
  public static Volume loadMiddleImage(Entry entry) throws BadInputException {
    if (entry.series().isEmpty()) {
      return null;
    }
    DicomIndex.Series series = entry.series().get(0);
    List<InstanceHeader> images =
        new ArrayList<>(
            series.instances().stream().filter(i -> i.hasPixelData() && !i.isLocalizer()).toList());
    if (images.isEmpty()) {
      throw new BadInputException(
          series.instances().get(0).file().toAbsolutePath().getParent(),
          "series " + series.seriesNumber() + " has no image");
    }
    images.sort(Comparator.comparingDouble(StudyCatalog::positionAlongNormal));
    InstanceHeader middle = images.get(images.size() / 2);
    DicomIndex.Series one =
        new DicomIndex.Series(
            series.seriesInstanceUid(),
            series.studyInstanceUid(),
            series.seriesNumber(),
            series.modality(),
            series.description(),
            List.of(middle));
    return SeriesLoader.load(one, ProgressListener.NONE).volume();
  }

  /** Where an image lies along its slice normal (its instance number when it has no position). */
  private static double positionAlongNormal(InstanceHeader h) {
    FrameHeader f = h.frames().get(0);
    double[] o = f.orientation();
    double[] p = f.positionMm();
    if (o == null || p == null) {
      return h.instanceNumber();
    }
    double nx = o[1] * o[5] - o[2] * o[4];
    double ny = o[2] * o[3] - o[0] * o[5];
    double nz = o[0] * o[4] - o[1] * o[3];
    return nx * p[0] + ny * p[1] + nz * p[2];
  }
}
