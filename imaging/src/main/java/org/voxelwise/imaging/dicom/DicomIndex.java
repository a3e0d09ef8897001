package org.voxelwise.imaging.dicom;

import java.util.List;

/**
 * What a scan of a folder, a DICOMDIR or a file found: patients → studies → series → image headers,
 * plus what was passed over.
 *
 * @param patients the patients, in order of patient id
 * @param filesExamined how many files were looked at
 * @param nonDicomFiles how many of them were not DICOM (skipped)
 * @param warnings one line each, naming the file: unreadable or corrupt files, missing files named
 *     by a DICOMDIR, DICOM objects without an image
 */
public record DicomIndex(
    List<Patient> patients, int filesExamined, int nonDicomFiles, List<String> warnings) {
  public DicomIndex {
    patients = List.copyOf(patients);
    warnings = List.copyOf(warnings);
  }

  /** Every series of every study of every patient, in index order. */
  public List<Series> allSeries() {
    return patients.stream()
        .flatMap(p -> p.studies().stream())
        .flatMap(s -> s.series().stream())
        .toList();
  }

  /** One patient and their studies (ordered by date, then UID). */
  public record Patient(String patientId, String patientName, List<Study> studies) {
    public Patient {
      studies = List.copyOf(studies);
    }
  }

  /** One study and its series (ordered by series number, then UID). */
  public record Study(
      String studyInstanceUid, String description, String date, List<Series> series) {
    public Study {
      series = List.copyOf(series);
    }
  }

  /**
   * One series and the headers of its image files (in no particular order: loading sorts them by
   * position).
   */
  public record Series(
      String seriesInstanceUid,
      String studyInstanceUid,
      int seriesNumber,
      String modality,
      String description,
      List<InstanceHeader> instances) {
    public Series {
      instances = List.copyOf(instances);
    }

    /** Number of image frames over all instances. */
    public int frameCount() {
      return instances.stream().mapToInt(InstanceHeader::frameCount).sum();
    }
  }
}
