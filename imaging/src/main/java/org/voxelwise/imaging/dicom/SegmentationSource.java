package org.voxelwise.imaging.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.volume.Geometry;

/**
 * The CT series a DICOM Segmentation is derived from, as {@link SegmentationWriter} needs it: the
 * patient, study and frame-of-reference attributes to copy, the series UID, the grid, and for each
 * slice of the grid the image (SOP instance, and frame of a multi-frame image) it was made from.
 *
 * <p>Contract: {@link #slices()} has one entry per slice of {@link #geometry()}, slice 0 first.
 * {@link #patientStudyAttributes()} holds, as text values, the attributes of {@link
 * #COPIED_KEYWORDS} that the source has (absent ones are written empty where DICOM requires them).
 * Instances are immutable.
 */
public final class SegmentationSource {
  /**
   * Patient, study and frame-of-reference attributes a derived object copies from its source (DICOM
   * keywords).
   */
  public static final List<String> COPIED_KEYWORDS =
      List.of(
          "PatientName",
          "PatientID",
          "IssuerOfPatientID",
          "PatientBirthDate",
          "PatientSex",
          "PatientAge",
          "StudyInstanceUID",
          "StudyDate",
          "StudyTime",
          "ReferringPhysicianName",
          "StudyID",
          "AccessionNumber",
          "StudyDescription",
          "FrameOfReferenceUID",
          "PositionReferenceIndicator");

  /** How far (in voxels, in-plane) an image's position may lie from its slice's corner. */
  private static final double IN_PLANE_TOLERANCE_VOXELS = 0.5;

  /**
   * The image one slice comes from.
   *
   * @param sopClassUid its SOP class
   * @param sopInstanceUid its SOP instance
   * @param frameNumber 1-based frame within a multi-frame image, or 0 for a single-frame image
   */
  public record SourceImage(String sopClassUid, String sopInstanceUid, int frameNumber) {
    public SourceImage {
      Objects.requireNonNull(sopClassUid, "SOP class UID");
      Objects.requireNonNull(sopInstanceUid, "SOP instance UID");
      if (frameNumber < 0) {
        throw new IllegalArgumentException("frame number must be ≥ 0: " + frameNumber);
      }
    }
  }

  private final Map<String, String[]> patientStudy;
  private final String seriesInstanceUid;
  private final Geometry geometry;
  private final List<SourceImage> slices;

  /**
   * @param patientStudyAttributes values of (some of) {@link #COPIED_KEYWORDS}, by keyword; must
   *     include a non-empty StudyInstanceUID and FrameOfReferenceUID
   * @param seriesInstanceUid the source series
   * @param geometry the grid of the source volume (and of the labels to be written)
   * @param slices one source image per slice of {@code geometry}
   * @throws IllegalArgumentException when a keyword is not one of {@link #COPIED_KEYWORDS}, a
   *     required UID is missing, or the slices do not match the geometry
   */
  public SegmentationSource(
      Map<String, String[]> patientStudyAttributes,
      String seriesInstanceUid,
      Geometry geometry,
      List<SourceImage> slices) {
    Map<String, String[]> copy = new LinkedHashMap<>();
    patientStudyAttributes.forEach(
        (k, v) -> {
          if (!COPIED_KEYWORDS.contains(k)) {
            throw new IllegalArgumentException("not a patient/study attribute to copy: " + k);
          }
          copy.put(k, v.clone());
        });
    for (String required : List.of("StudyInstanceUID", "FrameOfReferenceUID")) {
      String[] v = copy.get(required);
      if (v == null || v.length == 0 || v[0].isBlank()) {
        throw new IllegalArgumentException(required + " is required");
      }
    }
    if (seriesInstanceUid == null || seriesInstanceUid.isBlank()) {
      throw new IllegalArgumentException("series instance UID is required");
    }
    if (slices.size() != geometry.sizeZ()) {
      throw new IllegalArgumentException(
          slices.size() + " source images for " + geometry.sizeZ() + " slices");
    }
    this.patientStudy = copy;
    this.seriesInstanceUid = seriesInstanceUid;
    this.geometry = Objects.requireNonNull(geometry, "geometry");
    this.slices = List.copyOf(slices);
  }

  /**
   * The source of labels made on a volume loaded from {@code series} (by {@link SeriesLoader}):
   * reads the patient and study attributes from the header of its first image, and finds for each
   * slice of {@code geometry} the image of the series that lies there (the nearest along the slice
   * axis, of the same orientation, within half a voxel in-plane).
   *
   * @param series the scanned series the volume was loaded from
   * @param geometry the loaded volume's grid
   * @throws BadInputException when the first image's header cannot be read, the series has no
   *     StudyInstanceUID or FrameOfReferenceUID, or a slice of the grid has no image of the series
   */
  public static SegmentationSource of(DicomIndex.Series series, Geometry geometry)
      throws BadInputException {
    String name = SeriesLoader.nameOf(series);
    List<InstanceHeader> instances =
        series.instances().stream()
            .filter(InstanceHeader::hasPixelData)
            .sorted(Comparator.comparingInt(InstanceHeader::instanceNumber))
            .toList();
    if (instances.isEmpty()) {
      throw new BadInputException(name, "has no images");
    }
    Map<String, String[]> attributes = readPatientStudy(instances.get(0));
    for (String required : List.of("StudyInstanceUID", "FrameOfReferenceUID")) {
      if (!attributes.containsKey(required)) {
        throw new BadInputException(name, "has no " + required + ", which a DICOM SEG needs");
      }
    }
    SourceImage[] found = new SourceImage[geometry.sizeZ()];
    double[] distance = new double[geometry.sizeZ()];
    Arrays.fill(distance, Double.POSITIVE_INFINITY);
    double[][] inverse = inverse(geometry);
    for (InstanceHeader h : instances) {
      for (FrameHeader f : h.frames()) {
        if (f.positionMm() == null || !sameOrientation(f.orientation(), geometry)) {
          continue;
        }
        double[] ijk = apply(inverse, f.positionMm());
        int k = (int) Math.round(ijk[2]);
        if (k < 0
            || k >= found.length
            || Math.abs(ijk[0]) > IN_PLANE_TOLERANCE_VOXELS
            || Math.abs(ijk[1]) > IN_PLANE_TOLERANCE_VOXELS) {
          continue;
        }
        double d = Math.abs(ijk[2] - k);
        if (d < distance[k]) {
          distance[k] = d;
          found[k] =
              new SourceImage(
                  h.sopClassUid(), h.sopInstanceUid(), h.frameCount() > 1 ? f.frameIndex() + 1 : 0);
        }
      }
    }
    for (int k = 0; k < found.length; k++) {
      if (found[k] == null) {
        throw new BadInputException(
            name, "no image of the series lies at slice " + (k + 1) + " of the volume");
      }
    }
    return new SegmentationSource(
        attributes, series.seriesInstanceUid(), geometry, Arrays.asList(found));
  }

  private static Map<String, String[]> readPatientStudy(InstanceHeader first)
      throws BadInputException {
    AttributeList list = new AttributeList();
    try {
      HeaderReader.Encoding encoding = HeaderReader.sniff(first.file());
      try (DicomInputStream in = HeaderReader.open(first.file(), encoding)) {
        list.read(in, TagFromName.PixelData);
      }
    } catch (Exception e) {
      throw new BadInputException(
          first.file(), "cannot read the DICOM header (" + DicomScanner.reason(e) + ")", e);
    }
    Map<String, String[]> attributes = new LinkedHashMap<>();
    DicomDictionary dictionary = DicomDictionary.StandardDictionary;
    for (String keyword : COPIED_KEYWORDS) {
      String[] values = Attribute.getStringValues(list, dictionary.getTagFromName(keyword));
      if (values != null && values.length > 0 && !String.join("", values).isBlank()) {
        attributes.put(keyword, Arrays.stream(values).map(String::trim).toArray(String[]::new));
      }
    }
    return attributes;
  }

  private static boolean sameOrientation(double[] o, Geometry g) {
    if (o == null) {
      return false;
    }
    double[] x = g.axisX();
    double[] y = g.axisY();
    double dx = (o[0] * x[0] + o[1] * x[1] + o[2] * x[2]) / norm(o[0], o[1], o[2]);
    double dy = (o[3] * y[0] + o[4] * y[1] + o[5] * y[2]) / norm(o[3], o[4], o[5]);
    return dx > 0.9999 && dy > 0.9999;
  }

  private static double norm(double a, double b, double c) {
    return Math.sqrt(a * a + b * b + c * c);
  }

  /** The inverse of the voxel-to-patient matrix (3×4: patient mm → voxel index). */
  static double[][] inverse(Geometry g) {
    double[][] m = g.voxelToPatientMatrix();
    double a = m[0][0], b = m[0][1], c = m[0][2];
    double d = m[1][0], e = m[1][1], f = m[1][2];
    double h = m[2][0], i = m[2][1], j = m[2][2];
    double det = a * (e * j - f * i) - b * (d * j - f * h) + c * (d * i - e * h);
    double[][] r = {
      {(e * j - f * i) / det, (c * i - b * j) / det, (b * f - c * e) / det, 0},
      {(f * h - d * j) / det, (a * j - c * h) / det, (c * d - a * f) / det, 0},
      {(d * i - e * h) / det, (b * h - a * i) / det, (a * e - b * d) / det, 0}
    };
    for (int row = 0; row < 3; row++) {
      r[row][3] = -(r[row][0] * m[0][3] + r[row][1] * m[1][3] + r[row][2] * m[2][3]);
    }
    return r;
  }

  /** The voxel index (fractional) of a patient position, with a matrix from {@link #inverse}. */
  static double[] apply(double[][] inverse, double[] p) {
    double[] ijk = new double[3];
    for (int r = 0; r < 3; r++) {
      ijk[r] = inverse[r][0] * p[0] + inverse[r][1] * p[1] + inverse[r][2] * p[2] + inverse[r][3];
    }
    return ijk;
  }

  /** The copied attributes, by keyword (values as text; a copy). */
  public Map<String, String[]> patientStudyAttributes() {
    Map<String, String[]> copy = new LinkedHashMap<>();
    patientStudy.forEach((k, v) -> copy.put(k, v.clone()));
    return copy;
  }

  /** The value of a copied attribute, or "" when the source did not have it. */
  public String attribute(String keyword) {
    String[] v = patientStudy.get(keyword);
    return v == null || v.length == 0 ? "" : v[0];
  }

  /** SeriesInstanceUID of the source series. */
  public String seriesInstanceUid() {
    return seriesInstanceUid;
  }

  /** The source grid. */
  public Geometry geometry() {
    return geometry;
  }

  /** One source image per slice, slice 0 first (unmodifiable). */
  public List<SourceImage> slices() {
    return slices;
  }

  /** The distinct source images (the first frame's order), for ReferencedInstanceSequence. */
  List<SourceImage> distinctInstances() {
    Map<String, SourceImage> byUid = new LinkedHashMap<>();
    for (SourceImage s : slices) {
      byUid.putIfAbsent(s.sopInstanceUid(), s);
    }
    return new ArrayList<>(byUid.values());
  }
}
