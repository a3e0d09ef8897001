package org.voxelwise.imaging.dicom;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Finds 4D studies stored as one series per phase: series of one study, on one frame of reference,
 * with the same image size, orientation and number of images, each carrying one temporal position
 * (TemporalPositionIndex, TemporalPositionIdentifier or TriggerTime) that differs from series to
 * series. Works on headers only.
 */
public final class PhaseGrouping {
  private PhaseGrouping() {}

  /**
   * The groups of at least two phase series in a study, each ordered by temporal position. Series
   * not in any group (e.g. a prior or a 3D series) are not returned.
   */
  public static List<List<DicomIndex.Series>> phaseSeriesGroups(DicomIndex.Study study) {
    Map<String, List<DicomIndex.Series>> candidates = new LinkedHashMap<>();
    for (DicomIndex.Series s : study.series()) {
      Double key = singleTemporalKey(s);
      if (key == null) {
        continue;
      }
      InstanceHeader h = s.instances().get(0);
      double[] o = h.frames().get(0).orientation();
      String signature =
          h.frameOfReferenceUid()
              + "|"
              + h.rows()
              + "×"
              + h.columns()
              + "|"
              + s.frameCount()
              + "|"
              + (o == null ? "" : java.util.Arrays.toString(round(o)));
      candidates.computeIfAbsent(signature, k -> new ArrayList<>()).add(s);
    }
    List<List<DicomIndex.Series>> groups = new ArrayList<>();
    for (List<DicomIndex.Series> group : candidates.values()) {
      long distinctKeys = group.stream().map(PhaseGrouping::singleTemporalKey).distinct().count();
      if (group.size() >= 2 && distinctKeys == group.size()) {
        List<DicomIndex.Series> ordered = new ArrayList<>(group);
        ordered.sort(Comparator.comparingDouble(PhaseGrouping::singleTemporalKey));
        groups.add(List.copyOf(ordered));
      }
    }
    return groups;
  }

  /** The temporal key shared by every frame of the series, or null if none or several. */
  static Double singleTemporalKey(DicomIndex.Series s) {
    Double key = null;
    for (InstanceHeader h : s.instances()) {
      if (!h.hasPixelData()) {
        continue;
      }
      for (FrameHeader f : h.frames()) {
        if (f.temporalKey() == null || (key != null && !Objects.equals(key, f.temporalKey()))) {
          return null;
        }
        key = f.temporalKey();
      }
    }
    return key;
  }

  private static double[] round(double[] v) {
    double[] r = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      r[i] = Math.round(v[i] * 1000) / 1000.0;
    }
    return r;
  }
}
