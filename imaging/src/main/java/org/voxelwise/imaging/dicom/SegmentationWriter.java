package org.voxelwise.imaging.dicom;

import static org.voxelwise.imaging.dicom.CtSeriesWriter.ds;
import static org.voxelwise.imaging.dicom.CtSeriesWriter.put;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.AttributeTagAttribute;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.utils.ColorUtilities;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.voxelwise.imaging.progress.OperationCancelledException;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.LabelVolume;

/**
 * Writes a {@link LabelVolume} as one DICOM Segmentation Storage object (binary, {@value
 * #SOP_CLASS}), Explicit VR Little Endian, valid against the Segmentation IOD (as checked by {@code
 * dciodvfy}).
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>One segment per entry of the label table, in order of label value: segment {@code n}
 *       (1-based) is the n-th label, with SegmentLabel = its name, RecommendedDisplayCIELabValue =
 *       its colour, SegmentedPropertyTypeCodeSequence = its code and
 *       SegmentedPropertyCategoryCodeSequence = its category (a label without code or category gets
 *       {@link #FALLBACK_CODE}). {@link SegmentationReader} gives segment {@code n} the label value
 *       {@code n}, so label tables valued 1..n (such as {@code LiverTumorLabels}) round-trip
 *       exactly.
 *   <li>One frame per (segment, slice) whose slice holds at least one voxel of the segment, ordered
 *       by segment and then slice; each frame is bit-packed (BitsAllocated 1), 1 where the voxel
 *       holds the label. Frame geometry is the labels' geometry: shared PixelMeasures (PixelSpacing
 *       [y, x], SliceThickness = z spacing, SpacingBetweenSlices = distance between slices along
 *       the normal) and PlaneOrientation, per-frame PlanePosition = the slice's first voxel, so any
 *       orientation (oblique, sagittal, gantry-tilted) is kept. When no label has a voxel at all,
 *       one empty frame of segment 1 on slice 0 is written (the IOD needs at least one frame).
 *   <li>Per frame: DerivationImageSequence/SourceImageSequence naming the source image of its slice
 *       ({@link SegmentationSource#slices()}), FrameContentSequence with DimensionIndexValues
 *       [segment number, slice index + 1] in the dimension organisation (ReferencedSegmentNumber,
 *       ImagePositionPatient), and SegmentIdentificationSequence.
 *   <li>Patient, study and frame of reference attributes are copied from the source;
 *       ReferencedSeriesSequence lists the source series and its images. The SEG is a new series of
 *       the source's study.
 *   <li>UIDs derive from {@link Options#uidSeed()} and dates from {@link Options#dateTime()}: the
 *       same inputs give a byte-identical file. The file is written under a temporary name beside
 *       the target and moved into place; on failure or cancellation no file is left.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class SegmentationWriter {
  /** SOP Class UID of Segmentation Storage. */
  public static final String SOP_CLASS = "1.2.840.10008.5.1.4.1.1.66.4";

  /** Type and category code of a label that has none: SNOMED CT "Tissue". */
  public static final LabelVolume.Code FALLBACK_CODE =
      new LabelVolume.Code("SCT", "85756007", "Tissue");

  private static final DicomDictionary DICTIONARY = DicomDictionary.StandardDictionary;
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss");
  private static final String MANUFACTURER = "Voxelwise";
  private static final String SOURCE_AE = "VOXELWISE";

  private SegmentationWriter() {}

  /** How the segments were made (DICOM's SegmentAlgorithmType). */
  public enum AlgorithmType {
    /** Made by a program without a person's edits (e.g. a model's output). */
    AUTOMATIC,
    /** Made by a program and edited by a person. */
    SEMIAUTOMATIC,
    /** Drawn by a person, or a ground truth known by construction. */
    MANUAL
  }

  /**
   * Writes {@code labels} as a DICOM SEG file.
   *
   * @param labels the labels, on the geometry of {@code source} (same grid within 0.01 mm)
   * @param source the CT series the labels were made on
   * @param file the file to write (its folder must exist); replaced when present
   * @param options series attributes, algorithm, UID seed and date
   * @param progress receives the fraction of frames built; cancelling stops between slices
   * @return {@code file}
   * @throws IllegalArgumentException when the labels are not on the source's grid, or the table is
   *     empty or has more than 65535 labels
   * @throws IOException when the file cannot be written
   * @throws OperationCancelledException when {@code progress} was cancelled
   */
  public static Path write(
      LabelVolume labels,
      SegmentationSource source,
      Path file,
      Options options,
      ProgressListener progress)
      throws IOException {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(progress, "progress");
    if (!labels.geometry().sameGrid(source.geometry(), 0.01)) {
      throw new IllegalArgumentException(
          "labels on "
              + labels.geometry()
              + " are not on the source series' grid "
              + source.geometry());
    }
    if (labels.table().isEmpty()) {
      throw new IllegalArgumentException("a DICOM SEG needs at least one label in the table");
    }
    Path temporary = file.resolveSibling("." + file.getFileName() + ".part");
    try {
      AttributeList list = attributes(labels, source, options, progress);
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temporary))) {
        list.write(out, TransferSyntax.ExplicitVRLittleEndian, true, false);
      }
      Files.move(
          temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (DicomException e) {
      throw new IOException(file + ": cannot write DICOM SEG: " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(temporary);
    }
    return file;
  }

  /** One frame: which segment, on which slice. */
  private record Frame(int segment, int slice) {}

  private static AttributeList attributes(
      LabelVolume labels, SegmentationSource source, Options o, ProgressListener progress)
      throws DicomException {
    Geometry g = labels.geometry();
    List<LabelVolume.Label> segments =
        labels.table().stream().sorted(Comparator.comparingInt(LabelVolume.Label::value)).toList();
    if (segments.size() > 65535) {
      throw new IllegalArgumentException("at most 65535 segments: " + segments.size());
    }
    // which (segment, slice) pairs hold voxels
    int plane = g.sizeX() * g.sizeY();
    int[] segmentOfValue = new int[256];
    for (int s = 0; s < segments.size(); s++) {
      segmentOfValue[segments.get(s).value()] = s + 1;
    }
    boolean[][] present = new boolean[segments.size() + 1][g.sizeZ()];
    byte[] values = labels.values();
    for (int z = 0; z < g.sizeZ(); z++) {
      progress.checkCancelled();
      for (int i = z * plane; i < (z + 1) * plane; i++) {
        present[segmentOfValue[values[i] & 0xff]][z] = true;
      }
    }
    List<Frame> frames = new ArrayList<>();
    for (int s = 1; s <= segments.size(); s++) {
      for (int z = 0; z < g.sizeZ(); z++) {
        if (present[s][z]) {
          frames.add(new Frame(s, z));
        }
      }
    }
    if (frames.isEmpty()) {
      frames.add(new Frame(1, 0));
    }

    AttributeList list = new AttributeList();
    String date = DATE.format(o.dateTime());
    String time = TIME.format(o.dateTime());
    String instanceUid = CtSeriesWriter.uidFromSeed(o.uidSeed(), "seg-instance");
    String dimensionUid = CtSeriesWriter.uidFromSeed(o.uidSeed(), "seg-dimensions");
    // SOP Common
    put(list, "SpecificCharacterSet", "ISO_IR 192");
    put(list, "SOPClassUID", SOP_CLASS);
    put(list, "SOPInstanceUID", instanceUid);
    put(list, "InstanceCreationDate", date);
    put(list, "InstanceCreationTime", time);
    // Patient, General Study, Frame of Reference: from the source
    for (String keyword : SegmentationSource.COPIED_KEYWORDS) {
      put(list, keyword, source.patientStudyAttributes().getOrDefault(keyword, new String[0]));
    }
    // General Series, Segmentation Series
    put(list, "Modality", "SEG");
    put(list, "SeriesInstanceUID", CtSeriesWriter.uidFromSeed(o.uidSeed(), "seg-series"));
    put(list, "SeriesNumber", Integer.toString(o.seriesNumber()));
    put(list, "SeriesDate", date);
    put(list, "SeriesTime", time);
    put(list, "SeriesDescription", o.seriesDescription());
    // General Equipment, Enhanced General Equipment
    put(list, "Manufacturer", MANUFACTURER);
    put(list, "ManufacturerModelName", MANUFACTURER);
    put(list, "DeviceSerialNumber", o.deviceSerialNumber());
    put(list, "SoftwareVersions", o.softwareVersions());
    // General Image, Segmentation Image, Multi-frame Functional Groups
    put(list, "InstanceNumber", "1");
    put(list, "ContentDate", date);
    put(list, "ContentTime", time);
    put(list, "ImageType", "DERIVED", "PRIMARY");
    put(list, "ContentLabel", o.contentLabel());
    put(list, "ContentDescription", o.seriesDescription());
    put(list, "ContentCreatorName");
    put(list, "SegmentationType", "BINARY");
    put(list, "NumberOfFrames", Integer.toString(frames.size()));
    // Image Pixel
    put(list, "SamplesPerPixel", "1");
    put(list, "PhotometricInterpretation", "MONOCHROME2");
    put(list, "Rows", Integer.toString(g.sizeY()));
    put(list, "Columns", Integer.toString(g.sizeX()));
    put(list, "BitsAllocated", "1");
    put(list, "BitsStored", "1");
    put(list, "HighBit", "0");
    put(list, "PixelRepresentation", "0");
    put(list, "LossyImageCompression", "00");
    // Segments
    SequenceAttribute segmentSequence = sequence("SegmentSequence");
    for (int s = 0; s < segments.size(); s++) {
      segmentSequence.addItem(segmentItem(s + 1, segments.get(s), o));
    }
    list.put(segmentSequence);
    // Multi-frame Dimension
    AttributeList organisation = new AttributeList();
    put(organisation, "DimensionOrganizationUID", dimensionUid);
    SequenceAttribute organisations = sequence("DimensionOrganizationSequence");
    organisations.addItem(organisation);
    list.put(organisations);
    put(list, "DimensionOrganizationType", "3D");
    SequenceAttribute dimensions = sequence("DimensionIndexSequence");
    dimensions.addItem(
        dimension(
            dimensionUid,
            TagFromName.ReferencedSegmentNumber,
            TagFromName.SegmentIdentificationSequence,
            "ReferencedSegmentNumber"));
    dimensions.addItem(
        dimension(
            dimensionUid,
            TagFromName.ImagePositionPatient,
            TagFromName.PlanePositionSequence,
            "ImagePositionPatient"));
    list.put(dimensions);
    // Common Instance Reference
    AttributeList referencedSeries = new AttributeList();
    SequenceAttribute referencedInstances = sequence("ReferencedInstanceSequence");
    for (SegmentationSource.SourceImage image : source.distinctInstances()) {
      AttributeList item = new AttributeList();
      put(item, "ReferencedSOPClassUID", image.sopClassUid());
      put(item, "ReferencedSOPInstanceUID", image.sopInstanceUid());
      referencedInstances.addItem(item);
    }
    referencedSeries.put(referencedInstances);
    put(referencedSeries, "SeriesInstanceUID", source.seriesInstanceUid());
    SequenceAttribute referencedSeriesSequence = sequence("ReferencedSeriesSequence");
    referencedSeriesSequence.addItem(referencedSeries);
    list.put(referencedSeriesSequence);
    // Functional groups
    list.put(sharedGroups(g));
    SequenceAttribute perFrame = sequence("PerFrameFunctionalGroupsSequence");
    for (Frame f : frames) {
      perFrame.addItem(frameGroups(f, g, source.slices().get(f.slice())));
    }
    list.put(perFrame);
    OtherByteAttribute pixels = new OtherByteAttribute(TagFromName.PixelData);
    pixels.setValues(packFrames(frames, segments, labels, progress));
    list.put(pixels);

    FileMetaInformation.addFileMetaInformation(
        list, TransferSyntax.ExplicitVRLittleEndian, SOURCE_AE);
    return list;
  }

  private static AttributeList segmentItem(int number, LabelVolume.Label label, Options o)
      throws DicomException {
    AttributeList item = new AttributeList();
    put(item, "SegmentNumber", Integer.toString(number));
    put(item, "SegmentLabel", truncate(label.name(), 64));
    put(item, "SegmentAlgorithmType", o.algorithmType().name());
    if (o.algorithmType() != AlgorithmType.MANUAL) {
      put(item, "SegmentAlgorithmName", truncate(o.algorithmName(), 64));
    }
    int rgb = label.rgb();
    int[] lab =
        ColorUtilities.getIntegerScaledCIELabPCSFromSRGB(
            new int[] {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff});
    put(
        item,
        "RecommendedDisplayCIELabValue",
        Integer.toString(lab[0]),
        Integer.toString(lab[1]),
        Integer.toString(lab[2]));
    LabelVolume.Code type = label.code() == null ? FALLBACK_CODE : label.code();
    LabelVolume.Code category = label.category() == null ? FALLBACK_CODE : label.category();
    item.put(code("SegmentedPropertyCategoryCodeSequence", category));
    item.put(code("SegmentedPropertyTypeCodeSequence", type));
    return item;
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }

  private static SequenceAttribute code(String keyword, LabelVolume.Code code)
      throws DicomException {
    AttributeList item = new AttributeList();
    put(item, "CodeValue", code.value());
    put(item, "CodingSchemeDesignator", code.scheme());
    put(item, "CodeMeaning", code.meaning());
    SequenceAttribute sequence = sequence(keyword);
    sequence.addItem(item);
    return sequence;
  }

  private static AttributeList dimension(
      String organisationUid, AttributeTag pointer, AttributeTag group, String description)
      throws DicomException {
    AttributeList item = new AttributeList();
    put(item, "DimensionOrganizationUID", organisationUid);
    item.put(tagAttribute(TagFromName.DimensionIndexPointer, pointer));
    item.put(tagAttribute(TagFromName.FunctionalGroupPointer, group));
    put(item, "DimensionDescriptionLabel", description);
    return item;
  }

  private static Attribute tagAttribute(AttributeTag tag, AttributeTag value)
      throws DicomException {
    AttributeTagAttribute a = new AttributeTagAttribute(tag);
    a.addValue(value);
    return a;
  }

  private static SequenceAttribute sharedGroups(Geometry g) throws DicomException {
    double[] spacing = g.spacingMm();
    double[] ax = g.axisX();
    double[] ay = g.axisY();
    double[] n = g.sliceNormal();
    double[] az = g.axisZ();
    double betweenSlices = spacing[2] * Math.abs(n[0] * az[0] + n[1] * az[1] + n[2] * az[2]);
    AttributeList measures = new AttributeList();
    put(measures, "PixelSpacing", ds(spacing[1]), ds(spacing[0]));
    put(measures, "SliceThickness", ds(spacing[2]));
    put(measures, "SpacingBetweenSlices", ds(betweenSlices));
    AttributeList orientation = new AttributeList();
    put(
        orientation,
        "ImageOrientationPatient",
        ds(ax[0]),
        ds(ax[1]),
        ds(ax[2]),
        ds(ay[0]),
        ds(ay[1]),
        ds(ay[2]));
    AttributeList shared = new AttributeList();
    shared.put(wrap("PixelMeasuresSequence", measures));
    shared.put(wrap("PlaneOrientationSequence", orientation));
    SequenceAttribute sequence = sequence("SharedFunctionalGroupsSequence");
    sequence.addItem(shared);
    return sequence;
  }

  private static AttributeList frameGroups(
      Frame f, Geometry g, SegmentationSource.SourceImage image) throws DicomException {
    AttributeList source = new AttributeList();
    put(source, "ReferencedSOPClassUID", image.sopClassUid());
    put(source, "ReferencedSOPInstanceUID", image.sopInstanceUid());
    if (image.frameNumber() > 0) {
      put(source, "ReferencedFrameNumber", Integer.toString(image.frameNumber()));
    }
    source.put(
        codeSequence(
            "PurposeOfReferenceCodeSequence",
            "DCM",
            "121322",
            "Source image for image processing operation"));
    AttributeList derivation = new AttributeList();
    derivation.put(wrap("SourceImageSequence", source));
    derivation.put(codeSequence("DerivationCodeSequence", "DCM", "113076", "Segmentation"));

    AttributeList content = new AttributeList();
    put(
        content,
        "DimensionIndexValues",
        Integer.toString(f.segment()),
        Integer.toString(f.slice() + 1));
    AttributeList position = new AttributeList();
    double[] p = g.voxelToPatient(0, 0, f.slice());
    put(position, "ImagePositionPatient", ds(p[0]), ds(p[1]), ds(p[2]));
    AttributeList segment = new AttributeList();
    put(segment, "ReferencedSegmentNumber", Integer.toString(f.segment()));

    AttributeList groups = new AttributeList();
    groups.put(wrap("DerivationImageSequence", derivation));
    groups.put(wrap("FrameContentSequence", content));
    groups.put(wrap("PlanePositionSequence", position));
    groups.put(wrap("SegmentIdentificationSequence", segment));
    return groups;
  }

  private static SequenceAttribute codeSequence(
      String keyword, String scheme, String value, String meaning) throws DicomException {
    return code(keyword, new LabelVolume.Code(scheme, value, meaning));
  }

  private static SequenceAttribute wrap(String keyword, AttributeList item) {
    SequenceAttribute sequence = sequence(keyword);
    sequence.addItem(item);
    return sequence;
  }

  private static SequenceAttribute sequence(String keyword) {
    return new SequenceAttribute(DICTIONARY.getTagFromName(keyword));
  }

  /**
   * The frames' bits, packed as DICOM packs 1-bit pixels: one after the other across frames with no
   * padding between them, the first pixel in the lowest bit; padded with zero bits to an even
   * number of bytes.
   */
  private static byte[] packFrames(
      List<Frame> frames,
      List<LabelVolume.Label> segments,
      LabelVolume labels,
      ProgressListener progress) {
    Geometry g = labels.geometry();
    long plane = (long) g.sizeX() * g.sizeY();
    long bits = plane * frames.size();
    long bytes = (bits + 7) / 8;
    bytes += bytes % 2;
    if (bytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("the segmentation needs more than 2 GB of pixel data");
    }
    byte[] packed = new byte[(int) bytes];
    byte[] values = labels.values();
    for (int n = 0; n < frames.size(); n++) {
      progress.checkCancelled();
      Frame f = frames.get(n);
      byte value = (byte) segments.get(f.segment() - 1).value();
      long bit = n * plane;
      int from = (int) (f.slice() * plane);
      for (int i = 0; i < plane; i++, bit++) {
        if (values[from + i] == value) {
          packed[(int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
        }
      }
      progress.update((double) (n + 1) / frames.size(), "Writing DICOM SEG frames");
    }
    return packed;
  }

  /**
   * What to write besides the labels: series number and description, how the segments were made,
   * the seed of the UIDs and the date. Immutable; made with {@link #builder()}.
   */
  public static final class Options {
    private final int seriesNumber;
    private final String seriesDescription;
    private final String contentLabel;
    private final AlgorithmType algorithmType;
    private final String algorithmName;
    private final String softwareVersions;
    private final String deviceSerialNumber;
    private final String uidSeed;
    private final LocalDateTime dateTime;

    private Options(Builder b) {
      seriesNumber = b.seriesNumber;
      seriesDescription = b.seriesDescription;
      contentLabel = b.contentLabel;
      algorithmType = b.algorithmType;
      algorithmName = b.algorithmName;
      softwareVersions = b.softwareVersions;
      deviceSerialNumber = b.deviceSerialNumber;
      uidSeed = b.uidSeed;
      dateTime = b.dateTime;
    }

    /**
     * A builder with the defaults: series 1000 "Segmentation", content label "SEGMENTATION",
     * algorithm AUTOMATIC named "Voxelwise", software and device "Voxelwise", a random UID seed and
     * the current date and time (so two writes give distinct UIDs unless a seed is set).
     */
    public static Builder builder() {
      return new Builder();
    }

    public int seriesNumber() {
      return seriesNumber;
    }

    public String seriesDescription() {
      return seriesDescription;
    }

    /** ContentLabel: a code string (upper case, digits, space, underscore; at most 16). */
    public String contentLabel() {
      return contentLabel;
    }

    public AlgorithmType algorithmType() {
      return algorithmType;
    }

    /** SegmentAlgorithmName (not written for MANUAL segments). */
    public String algorithmName() {
      return algorithmName;
    }

    public String softwareVersions() {
      return softwareVersions;
    }

    public String deviceSerialNumber() {
      return deviceSerialNumber;
    }

    /** The seed the SEG's SOP instance, series and dimension organisation UIDs derive from. */
    public String uidSeed() {
      return uidSeed;
    }

    /** Series, content and instance-creation date and time. */
    public LocalDateTime dateTime() {
      return dateTime;
    }

    /** Builds {@link Options}; every setter checks its argument and returns this builder. */
    public static final class Builder {
      private int seriesNumber = 1000;
      private String seriesDescription = "Segmentation";
      private String contentLabel = "SEGMENTATION";
      private AlgorithmType algorithmType = AlgorithmType.AUTOMATIC;
      private String algorithmName = MANUFACTURER;
      private String softwareVersions = MANUFACTURER;
      private String deviceSerialNumber = MANUFACTURER;
      private String uidSeed = UUID.randomUUID().toString();
      private LocalDateTime dateTime = LocalDateTime.now().withNano(0);

      private Builder() {}

      /** SeriesNumber, ≥ 0. */
      public Builder seriesNumber(int value) {
        if (value < 0) {
          throw new IllegalArgumentException("series number must be ≥ 0: " + value);
        }
        seriesNumber = value;
        return this;
      }

      /** SeriesDescription (also ContentDescription), at most 64 characters. */
      public Builder seriesDescription(String value) {
        seriesDescription = text("series description", value);
        return this;
      }

      /** ContentLabel: upper case letters, digits, spaces and underscores, 1 to 16. */
      public Builder contentLabel(String value) {
        if (value == null || !value.matches("[A-Z0-9_ ]{1,16}")) {
          throw new IllegalArgumentException("not a DICOM code string label: " + value);
        }
        contentLabel = value;
        return this;
      }

      /**
       * How the segments were made, and by what (SegmentAlgorithmName, at most 64 characters, e.g.
       * a model's id and version; required, non-blank, unless {@code type} is MANUAL).
       */
      public Builder algorithm(AlgorithmType type, String name) {
        Objects.requireNonNull(type, "algorithm type");
        if (type != AlgorithmType.MANUAL && (name == null || name.isBlank())) {
          throw new IllegalArgumentException(type + " segments need an algorithm name");
        }
        algorithmType = type;
        algorithmName = name == null ? "" : text("algorithm name", name);
        return this;
      }

      /** SoftwareVersions, at most 64 characters. */
      public Builder softwareVersions(String value) {
        softwareVersions = text("software versions", value);
        return this;
      }

      /** The seed of the SEG's UIDs (any non-empty text). */
      public Builder uidSeed(String value) {
        if (value == null || value.isEmpty()) {
          throw new IllegalArgumentException("UID seed must not be empty");
        }
        uidSeed = value;
        return this;
      }

      /** The date and time written in every date/time attribute. */
      public Builder dateTime(LocalDateTime value) {
        dateTime = Objects.requireNonNull(value, "date time");
        return this;
      }

      public Options build() {
        return new Options(this);
      }

      private static String text(String what, String value) {
        Objects.requireNonNull(value, what);
        if (value.length() > 64 || value.contains("\\") || value.isBlank()) {
          throw new IllegalArgumentException(
              what + " must be 1 to 64 characters without '\\': " + value);
        }
        return value;
      }
    }
  }
}
