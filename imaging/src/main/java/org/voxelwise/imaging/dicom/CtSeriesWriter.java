package org.voxelwise.imaging.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SpecificCharacterSet;
import com.pixelmed.dicom.TransferSyntax;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.voxelwise.imaging.progress.OperationCancelledException;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;
import org.voxelwise.imaging.volume.Volume4D;

/**
 * Writes a {@link Volume} of HU values as a DICOM CT Image Storage series: one file per slice,
 * Explicit VR Little Endian with a file meta header, valid against the CT Image IOD (as checked by
 * {@code dciodvfy}).
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>Slice {@code k} of the volume becomes instance number {@code k + 1}, in the file named by
 *       {@link Options#fileNamePattern()} formatted with {@code k + 1}. Its ImagePositionPatient is
 *       {@code geometry.voxelToPatient(0, 0, k)}, ImageOrientationPatient is axisX then axisY,
 *       PixelSpacing is [y spacing, x spacing] (DICOM's row spacing first), SliceThickness is the z
 *       spacing and SliceLocation the position along the slice normal.
 *   <li>Pixels are stored as signed 16-bit integers (BitsStored 16, PixelRepresentation 1) with
 *       RescaleSlope 1 and RescaleIntercept 0, so every HU in [−32768, 32767] is kept exactly.
 *       Float volumes are rounded to the nearest integer and clamped to that range.
 *   <li>Every UID (study, series, frame of reference, SOP instance) is derived from {@link
 *       Options#uidSeed()}: the same options and volume give byte-identical files. Dates and times
 *       come from {@link Options#dateTime()}, never from the clock.
 *   <li>Each file is written under a temporary name in the target folder and then moved into place,
 *       so a reader never sees a partial file. Slices are written in parallel. The folder is
 *       created when missing; existing files of the same names are replaced. When the operation is
 *       cancelled or fails, the files already moved into place stay and no temporary file is left.
 *   <li>A derived series ({@link Options#derived()}) has ImageType DERIVED\SECONDARY\AXIAL and
 *       {@link Options#derivationDescription()}. With {@link Options#sourceImages()}, slice {@code
 *       k} names the image it was computed from: SourceImageSequence (SOP class, SOP instance,
 *       frame number for a multi-frame source; purpose of reference (121322, DCM, "Source image for
 *       image processing operation")), and the same instance in the hierarchical references of the
 *       Common Instance Reference module (ReferencedSeriesSequence when the source is in the
 *       written study, else StudiesContainingOtherReferencedInstancesSequence).
 * </ul>
 *
 * <p>This class is stateless and thread-safe.
 */
public final class CtSeriesWriter {
  private static final DicomDictionary DICTIONARY = DicomDictionary.StandardDictionary;
  private static final SpecificCharacterSet UTF8 =
      new SpecificCharacterSet(new String[] {"ISO_IR 192"});
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss");
  private static final String MANUFACTURER = "Voxelwise";
  private static final String SOURCE_AE = "VOXELWISE";

  private CtSeriesWriter() {}

  /**
   * Writes {@code volume} as one CT series into {@code directory}.
   *
   * @param volume HU values on any geometry (oblique and tilted included)
   * @param directory the folder to write into; created when missing
   * @param options patient, study and series attributes and the UID seed
   * @param progress receives the fraction of slices written; cancelling stops between slices
   * @return the written files, in slice order (slice 0 first)
   * @throws IOException when a file cannot be written
   * @throws OperationCancelledException when {@code progress} was cancelled
   */
  public static List<Path> write(
      Volume volume, Path directory, Options options, ProgressListener progress)
      throws IOException {
    Objects.requireNonNull(volume, "volume");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(progress, "progress");
    Files.createDirectories(directory);
    int sizeZ = volume.geometry().sizeZ();
    if (!options.sourceImages().isEmpty() && options.sourceImages().size() != sizeZ) {
      throw new IllegalArgumentException(
          options.sourceImages().size() + " source images for " + sizeZ + " slices");
    }
    Path[] paths = new Path[sizeZ];
    for (int k = 0; k < sizeZ; k++) {
      paths[k] = directory.resolve(String.format(options.fileNamePattern(), k + 1));
    }
    if (Arrays.stream(paths).distinct().count() != sizeZ) {
      throw new IllegalArgumentException(
          "file name pattern \"" + options.fileNamePattern() + "\" gives the same name twice");
    }
    AtomicInteger done = new AtomicInteger();
    try {
      IntStream.range(0, sizeZ)
          .parallel()
          .forEach(
              k -> {
                progress.checkCancelled();
                writeSlice(volume, k, paths[k], options);
                int n = done.incrementAndGet();
                progress.update((double) n / sizeZ, "Writing DICOM slice " + n + " of " + sizeZ);
              });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return List.of(paths);
  }

  /**
   * Writes the phases of a 4D study as one CT series per phase, all in one study and one frame of
   * reference: phase {@code p} (0-based) goes to {@code directory/phase%02d} (e.g. {@code phase00})
   * with series number {@code options.seriesNumber() + p}, series description {@code
   * options.seriesDescription()} followed by the phase label, and temporal position {@code p + 1}
   * of the number of phases (without a trigger time). The temporal position of {@code options} is
   * not used. Descriptions longer than 64 characters are cut.
   *
   * @return the written files, one list per phase in phase order
   * @throws IOException when a file cannot be written
   * @throws OperationCancelledException when {@code progress} was cancelled
   */
  public static List<List<Path>> writePhases(
      Volume4D phases, Path directory, Options options, ProgressListener progress)
      throws IOException {
    return writePhases(phases, directory, options, (phase, builder) -> builder, progress);
  }

  /**
   * As {@link #writePhases(Volume4D, Path, Options, ProgressListener)}, with the options of each
   * phase adjusted by {@code perPhase} after its series number, description and temporal position
   * are set (e.g. to give each phase its own source images or trigger time).
   *
   * @return the written files, one list per phase in phase order
   * @throws IOException when a file cannot be written
   * @throws OperationCancelledException when {@code progress} was cancelled
   */
  public static List<List<Path>> writePhases(
      Volume4D phases,
      Path directory,
      Options options,
      PhaseOptions perPhase,
      ProgressListener progress)
      throws IOException {
    int count = phases.phaseCount();
    List<List<Path>> written = new ArrayList<>(count);
    for (int p = 0; p < count; p++) {
      String description = (options.seriesDescription() + " " + phases.phaseLabels().get(p)).trim();
      description = description.substring(0, Math.min(64, description.length()));
      Options phaseOptions =
          perPhase
              .adjust(
                  p,
                  options.toBuilder()
                      .seriesNumber(options.seriesNumber() + p)
                      .seriesDescription(description)
                      .temporalPosition(new TemporalPosition(p + 1, count, null)))
              .build();
      written.add(
          write(
              phases.phases().get(p),
              directory.resolve(String.format("phase%02d", p)),
              phaseOptions,
              progress.part((double) p / count, (double) (p + 1) / count)));
    }
    return written;
  }

  /** Adjusts the options of one phase of a 4D study; see {@link #writePhases}. */
  @FunctionalInterface
  public interface PhaseOptions {
    /**
     * @param phase 0-based phase index
     * @param builder the phase's options so far
     * @return the builder to build the phase's options from
     */
    Options.Builder adjust(int phase, Options.Builder builder);
  }

  /**
   * The image a derived slice was computed from. UIDs are taken as the source has them (only
   * checked to be 1 to 64 characters), since a reference must match the source exactly.
   *
   * @param studyInstanceUid the source's study
   * @param seriesInstanceUid the source's series
   * @param sopClassUid the source's SOP class
   * @param sopInstanceUid the source's SOP instance
   * @param frameNumber the 1-based frame of a multi-frame source, or 0 for a single-frame one
   */
  public record SourceImage(
      String studyInstanceUid,
      String seriesInstanceUid,
      String sopClassUid,
      String sopInstanceUid,
      int frameNumber) {
    public SourceImage {
      for (String uid : List.of(studyInstanceUid, seriesInstanceUid, sopClassUid, sopInstanceUid)) {
        if (uid == null || uid.isEmpty() || uid.length() > 64) {
          throw new IllegalArgumentException(
              "source image UIDs must be 1 to 64 characters: " + uid);
        }
      }
      if (frameNumber < 0) {
        throw new IllegalArgumentException("frame number must be ≥ 0: " + frameNumber);
      }
    }
  }

  /**
   * A DICOM UID derived from a seed and a role: {@code "2.25."} followed by the decimal value of
   * the name-based UUID of {@code seed + "|" + role}. The result has at most 44 characters, digits
   * and dots only, and is the same on every run.
   */
  public static String uidFromSeed(String seed, String role) {
    UUID uuid = UUID.nameUUIDFromBytes((seed + "|" + role).getBytes(StandardCharsets.UTF_8));
    byte[] bytes =
        ByteBuffer.allocate(16)
            .putLong(uuid.getMostSignificantBits())
            .putLong(uuid.getLeastSignificantBits())
            .array();
    return "2.25." + new BigInteger(1, bytes);
  }

  private static void writeSlice(Volume volume, int k, Path path, Options options) {
    Path temporary = path.resolveSibling("." + path.getFileName() + ".part");
    try {
      AttributeList list = sliceAttributes(volume, k, options);
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temporary))) {
        list.write(out, TransferSyntax.ExplicitVRLittleEndian, true, false);
      }
      Files.move(
          temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | DicomException e) {
      IOException failure =
          new IOException(path + ": cannot write DICOM slice: " + e.getMessage(), e);
      deleteTemporary(temporary, failure);
      throw new UncheckedIOException(failure);
    } catch (RuntimeException e) {
      deleteTemporary(temporary, e);
      throw e;
    }
  }

  private static void deleteTemporary(Path temporary, Throwable failure) {
    try {
      Files.deleteIfExists(temporary);
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  private static AttributeList sliceAttributes(Volume volume, int k, Options o)
      throws DicomException {
    Geometry g = volume.geometry();
    AttributeList list = new AttributeList();
    String date = DATE.format(o.dateTime());
    String time = TIME.format(o.dateTime());
    String instanceUid = o.instanceUid(k);

    // SOP Common
    put(list, "SpecificCharacterSet", "ISO_IR 192");
    put(list, "SOPClassUID", SOPClass.CTImageStorage);
    put(list, "SOPInstanceUID", instanceUid);
    put(list, "InstanceCreationDate", date);
    put(list, "InstanceCreationTime", time);
    // Patient
    put(list, "PatientName", o.patientName());
    put(list, "PatientID", o.patientId());
    put(list, "PatientBirthDate", o.patientBirthDate());
    put(list, "PatientSex", o.patientSex());
    // General Study
    put(list, "StudyInstanceUID", o.studyInstanceUid());
    put(list, "StudyDate", date);
    put(list, "StudyTime", time);
    put(list, "ReferringPhysicianName");
    put(list, "StudyID", Integer.toString(o.studyNumber()));
    put(list, "AccessionNumber");
    put(list, "StudyDescription", o.studyDescription());
    // General Series
    put(list, "Modality", "CT");
    put(list, "SeriesInstanceUID", o.seriesInstanceUid());
    put(list, "SeriesNumber", Integer.toString(o.seriesNumber()));
    if (!o.bodyPartExamined().isEmpty()) {
      put(list, "BodyPartExamined", o.bodyPartExamined());
    }
    put(list, "SeriesDate", date);
    put(list, "SeriesTime", time);
    put(list, "SeriesDescription", o.seriesDescription());
    put(list, "PatientPosition", "HFS");
    // Frame of Reference
    put(list, "FrameOfReferenceUID", o.frameOfReferenceUid());
    put(list, "PositionReferenceIndicator");
    // General Equipment
    put(list, "Manufacturer", MANUFACTURER);
    put(list, "ManufacturerModelName", MANUFACTURER);
    put(list, "SoftwareVersions", MANUFACTURER);
    // General Image and General Acquisition
    put(list, "InstanceNumber", Integer.toString(k + 1));
    put(list, "AcquisitionNumber", "1");
    put(list, "AcquisitionDate", date);
    put(list, "AcquisitionTime", time);
    put(list, "ContentDate", date);
    put(list, "ContentTime", time);
    put(list, "BurnedInAnnotation", "NO");
    put(list, "LossyImageCompression", "00");
    if (o.derived()) {
      put(list, "ImageType", "DERIVED", "SECONDARY", "AXIAL");
      put(list, "DerivationDescription", o.derivationDescription());
    } else {
      put(list, "ImageType", "ORIGINAL", "PRIMARY", "AXIAL");
    }
    if (!o.sourceImages().isEmpty()) {
      putSourceReferences(list, o.sourceImages().get(k), o.studyInstanceUid());
    }
    // Image Plane
    double[] spacing = g.spacingMm();
    double[] position = g.voxelToPatient(0, 0, k);
    double[] ax = g.axisX();
    double[] ay = g.axisY();
    double[] normal = g.sliceNormal();
    put(list, "PixelSpacing", ds(spacing[1]), ds(spacing[0]));
    put(
        list,
        "ImageOrientationPatient",
        ds(ax[0]),
        ds(ax[1]),
        ds(ax[2]),
        ds(ay[0]),
        ds(ay[1]),
        ds(ay[2]));
    put(list, "ImagePositionPatient", ds(position[0]), ds(position[1]), ds(position[2]));
    put(list, "SliceThickness", ds(spacing[2]));
    put(
        list,
        "SliceLocation",
        ds(position[0] * normal[0] + position[1] * normal[1] + position[2] * normal[2]));
    // Temporal position of a 4D phase
    TemporalPosition t = o.temporalPosition();
    if (t != null) {
      put(list, "TemporalPositionIdentifier", Integer.toString(t.index()));
      put(list, "TemporalPositionIndex", Integer.toString(t.index()));
      put(list, "NumberOfTemporalPositions", Integer.toString(t.count()));
      if (t.triggerTimeMs() != null) {
        put(list, "TriggerTime", ds(t.triggerTimeMs()));
      }
    }
    // Image Pixel and CT Image
    put(list, "SamplesPerPixel", "1");
    put(list, "PhotometricInterpretation", "MONOCHROME2");
    put(list, "Rows", Integer.toString(g.sizeY()));
    put(list, "Columns", Integer.toString(g.sizeX()));
    put(list, "BitsAllocated", "16");
    put(list, "BitsStored", "16");
    put(list, "HighBit", "15");
    put(list, "PixelRepresentation", "1");
    put(list, "RescaleIntercept", "0");
    put(list, "RescaleSlope", "1");
    put(list, "RescaleType", "HU");
    put(list, "KVP", ds(o.kvp()));
    put(list, "WindowCenter", ds(o.windowCenter()));
    put(list, "WindowWidth", ds(o.windowWidth()));
    OtherWordAttribute pixels = new OtherWordAttribute(DICTIONARY.getTagFromName("PixelData"));
    pixels.setValues(slicePixels(volume, k));
    list.put(pixels);

    FileMetaInformation.addFileMetaInformation(
        list, TransferSyntax.ExplicitVRLittleEndian, SOURCE_AE);
    return list;
  }

  /** SourceImageSequence and the Common Instance Reference module for one source image. */
  private static void putSourceReferences(AttributeList list, SourceImage source, String studyUid)
      throws DicomException {
    AttributeList purpose = new AttributeList();
    put(purpose, "CodeValue", "121322");
    put(purpose, "CodingSchemeDesignator", "DCM");
    put(purpose, "CodeMeaning", "Source image for image processing operation");
    AttributeList image = new AttributeList();
    put(image, "ReferencedSOPClassUID", source.sopClassUid());
    put(image, "ReferencedSOPInstanceUID", source.sopInstanceUid());
    if (source.frameNumber() > 0) {
      put(image, "ReferencedFrameNumber", Integer.toString(source.frameNumber()));
    }
    putSequence(image, "PurposeOfReferenceCodeSequence", purpose);
    putSequence(list, "SourceImageSequence", image);

    AttributeList instance = new AttributeList();
    put(instance, "ReferencedSOPClassUID", source.sopClassUid());
    put(instance, "ReferencedSOPInstanceUID", source.sopInstanceUid());
    AttributeList series = new AttributeList();
    put(series, "SeriesInstanceUID", source.seriesInstanceUid());
    putSequence(series, "ReferencedInstanceSequence", instance);
    if (source.studyInstanceUid().equals(studyUid)) {
      putSequence(list, "ReferencedSeriesSequence", series);
    } else {
      AttributeList study = new AttributeList();
      put(study, "StudyInstanceUID", source.studyInstanceUid());
      putSequence(study, "ReferencedSeriesSequence", series);
      putSequence(list, "StudiesContainingOtherReferencedInstancesSequence", study);
    }
  }

  /** Adds the sequence named {@code keyword} with one item. */
  private static void putSequence(AttributeList list, String keyword, AttributeList item) {
    SequenceAttribute sequence = new SequenceAttribute(DICTIONARY.getTagFromName(keyword));
    sequence.addItem(item);
    list.put(sequence);
  }

  private static short[] slicePixels(Volume volume, int k) {
    Geometry g = volume.geometry();
    int n = g.sizeX() * g.sizeY();
    short[] slice = new short[n];
    if (volume.isShort()) {
      System.arraycopy(volume.shortValues(), k * n, slice, 0, n);
    } else {
      int offset = k * n;
      for (int i = 0; i < n; i++) {
        float v = volume.valueAt(offset + i);
        long rounded = Float.isNaN(v) ? 0 : Math.round((double) v);
        slice[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, rounded));
      }
    }
    return slice;
  }

  /** Adds the attribute named {@code keyword} (a DICOM dictionary keyword) with these values. */
  static void put(AttributeList list, String keyword, String... values) throws DicomException {
    AttributeTag tag = DICTIONARY.getTagFromName(keyword);
    Attribute attribute =
        AttributeFactory.newAttribute(tag, DICTIONARY.getValueRepresentationFromTag(tag), UTF8);
    for (String value : values) {
      attribute.addValue(value);
    }
    list.put(attribute);
  }

  /** A decimal string (DS) of at most 16 characters, as precise as that allows. */
  static String ds(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("not a finite number: " + value);
    }
    for (int decimals = 10; decimals >= 0; decimals--) {
      BigDecimal rounded = BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_EVEN);
      String s = rounded.signum() == 0 ? "0" : rounded.stripTrailingZeros().toPlainString();
      if (s.length() <= 16) {
        return s;
      }
    }
    throw new IllegalArgumentException("too large for a DICOM decimal string: " + value);
  }

  /**
   * Where a series lies in a 4D study: written as TemporalPositionIdentifier and
   * TemporalPositionIndex ({@code index}), NumberOfTemporalPositions ({@code count}) and, when
   * given, TriggerTime.
   *
   * @param index 1-based position of this phase, 1 ≤ index ≤ count
   * @param count number of phases in the study, ≥ 1
   * @param triggerTimeMs time of this phase after the trigger in ms, or {@code null} when unknown
   */
  public record TemporalPosition(int index, int count, Double triggerTimeMs) {
    public TemporalPosition {
      if (count < 1 || index < 1 || index > count) {
        throw new IllegalArgumentException(
            "temporal position " + index + " of " + count + " is out of range");
      }
      if (triggerTimeMs != null && !Double.isFinite(triggerTimeMs)) {
        throw new IllegalArgumentException("trigger time must be finite: " + triggerTimeMs);
      }
    }
  }

  /**
   * What to write besides the pixels: patient, study and series attributes, the seed of all UIDs,
   * file names and the temporal position of a 4D phase. Immutable; made with {@link #builder()}.
   *
   * <p>UIDs: the study and frame-of-reference UIDs depend on the seed only (unless given
   * explicitly), the series UID on the seed, series number and temporal position, and each SOP
   * instance UID also on the slice index. So series written with one seed and distinct series
   * numbers (or temporal positions) share a study and frame of reference and never share a UID;
   * writing two different volumes with the same seed, series number and temporal position gives
   * them the same UIDs.
   */
  public static final class Options {
    private final String patientName;
    private final String patientId;
    private final String patientSex;
    private final String patientBirthDate;
    private final String studyDescription;
    private final String seriesDescription;
    private final String bodyPartExamined;
    private final int studyNumber;
    private final int seriesNumber;
    private final String uidSeed;
    private final String studyInstanceUid;
    private final String frameOfReferenceUid;
    private final String fileNamePattern;
    private final TemporalPosition temporalPosition;
    private final LocalDateTime dateTime;
    private final boolean derived;
    private final String derivationDescription;
    private final List<SourceImage> sourceImages;
    private final double kvp;
    private final double windowCenter;
    private final double windowWidth;

    private Options(Builder b) {
      patientName = b.patientName;
      patientId = b.patientId;
      patientSex = b.patientSex;
      patientBirthDate = b.patientBirthDate;
      studyDescription = b.studyDescription;
      seriesDescription = b.seriesDescription;
      bodyPartExamined = b.bodyPartExamined;
      studyNumber = b.studyNumber;
      seriesNumber = b.seriesNumber;
      uidSeed = b.uidSeed;
      studyInstanceUid =
          b.studyInstanceUid != null ? b.studyInstanceUid : uidFromSeed(uidSeed, "study");
      frameOfReferenceUid =
          b.frameOfReferenceUid != null
              ? b.frameOfReferenceUid
              : uidFromSeed(uidSeed, "frame-of-reference");
      fileNamePattern = b.fileNamePattern;
      temporalPosition = b.temporalPosition;
      dateTime = b.dateTime;
      derived = b.derived;
      derivationDescription = b.derivationDescription;
      sourceImages = b.sourceImages;
      kvp = b.kvp;
      windowCenter = b.windowCenter;
      windowWidth = b.windowWidth;
    }

    /**
     * A builder with the defaults: patient "Voxelwise^Phantom", id "VW0001", sex "O", no birth
     * date, empty descriptions, body part ABDOMEN, study and series number 1, seed "voxelwise",
     * file names {@code IM%05d.dcm}, no temporal position, date 2000-01-01 00:00:00,
     * ORIGINAL\PRIMARY\AXIAL (derivation description "Computed by Voxelwise" when derived), no
     * source images, 120 kVp, window 40/400.
     */
    public static Builder builder() {
      return new Builder();
    }

    /** A builder holding these options, to change some of them. */
    public Builder toBuilder() {
      Builder b = new Builder();
      b.patientName = patientName;
      b.patientId = patientId;
      b.patientSex = patientSex;
      b.patientBirthDate = patientBirthDate;
      b.studyDescription = studyDescription;
      b.seriesDescription = seriesDescription;
      b.bodyPartExamined = bodyPartExamined;
      b.studyNumber = studyNumber;
      b.seriesNumber = seriesNumber;
      b.uidSeed = uidSeed;
      b.studyInstanceUid = studyInstanceUid;
      b.frameOfReferenceUid = frameOfReferenceUid;
      b.fileNamePattern = fileNamePattern;
      b.temporalPosition = temporalPosition;
      b.dateTime = dateTime;
      b.derived = derived;
      b.derivationDescription = derivationDescription;
      b.sourceImages = sourceImages;
      b.kvp = kvp;
      b.windowCenter = windowCenter;
      b.windowWidth = windowWidth;
      return b;
    }

    /** PatientName, in DICOM's {@code Family^Given} form. */
    public String patientName() {
      return patientName;
    }

    /** PatientID. */
    public String patientId() {
      return patientId;
    }

    /** PatientSex: "M", "F", "O" or "" (unknown). */
    public String patientSex() {
      return patientSex;
    }

    /** PatientBirthDate, {@code YYYYMMDD} or "" (unknown). */
    public String patientBirthDate() {
      return patientBirthDate;
    }

    /** StudyDescription (may be empty). */
    public String studyDescription() {
      return studyDescription;
    }

    /** SeriesDescription (may be empty). */
    public String seriesDescription() {
      return seriesDescription;
    }

    /** BodyPartExamined, a DICOM defined term such as "ABDOMEN" or "CHEST", or "" for none. */
    public String bodyPartExamined() {
      return bodyPartExamined;
    }

    /** The study number, written as StudyID. */
    public int studyNumber() {
      return studyNumber;
    }

    /** SeriesNumber. */
    public int seriesNumber() {
      return seriesNumber;
    }

    /** The seed every derived UID comes from. */
    public String uidSeed() {
      return uidSeed;
    }

    /** StudyInstanceUID: the one given to the builder, else derived from the seed. */
    public String studyInstanceUid() {
      return studyInstanceUid;
    }

    /** FrameOfReferenceUID: the one given to the builder, else derived from the seed. */
    public String frameOfReferenceUid() {
      return frameOfReferenceUid;
    }

    /** SeriesInstanceUID, derived from the seed, series number and temporal position. */
    public String seriesInstanceUid() {
      return uidFromSeed(uidSeed, "series|" + seriesKey());
    }

    /** SOPInstanceUID of slice {@code sliceIndex} (0-based). */
    public String instanceUid(int sliceIndex) {
      return uidFromSeed(uidSeed, "instance|" + seriesKey() + "|" + sliceIndex);
    }

    private String seriesKey() {
      return seriesNumber + "|" + (temporalPosition == null ? 0 : temporalPosition.index());
    }

    /** File name pattern, formatted with the 1-based instance number. */
    public String fileNamePattern() {
      return fileNamePattern;
    }

    /** The temporal position of a 4D phase series, or {@code null} for an ordinary series. */
    public TemporalPosition temporalPosition() {
      return temporalPosition;
    }

    /** Study, series, acquisition, content and instance-creation date and time. */
    public LocalDateTime dateTime() {
      return dateTime;
    }

    /** Whether ImageType is DERIVED\SECONDARY (e.g. a corrected or simulated image). */
    public boolean derived() {
      return derived;
    }

    /** DerivationDescription of a derived series: how the images were computed. */
    public String derivationDescription() {
      return derivationDescription;
    }

    /**
     * The image each slice was computed from, one per slice in slice order, or empty for none (an
     * unmodifiable list).
     */
    public List<SourceImage> sourceImages() {
      return sourceImages;
    }

    /** KVP, the peak tube voltage in kV. */
    public double kvp() {
      return kvp;
    }

    /** WindowCenter in HU. */
    public double windowCenter() {
      return windowCenter;
    }

    /** WindowWidth in HU. */
    public double windowWidth() {
      return windowWidth;
    }

    /** Builds {@link Options}; every setter checks its argument and returns this builder. */
    public static final class Builder {
      private String patientName = "Voxelwise^Phantom";
      private String patientId = "VW0001";
      private String patientSex = "O";
      private String patientBirthDate = "";
      private String studyDescription = "";
      private String seriesDescription = "";
      private String bodyPartExamined = "ABDOMEN";
      private int studyNumber = 1;
      private int seriesNumber = 1;
      private String uidSeed = "voxelwise";
      private String studyInstanceUid;
      private String frameOfReferenceUid;
      private String fileNamePattern = "IM%05d.dcm";
      private TemporalPosition temporalPosition;
      private LocalDateTime dateTime = LocalDateTime.of(2000, 1, 1, 0, 0);
      private boolean derived;
      private String derivationDescription = "Computed by " + MANUFACTURER;
      private List<SourceImage> sourceImages = List.of();
      private double kvp = 120;
      private double windowCenter = 40;
      private double windowWidth = 400;

      private Builder() {}

      /** PatientName, at most 64 characters, in DICOM's {@code Family^Given} form. */
      public Builder patientName(String value) {
        patientName = text("patient name", value, 64);
        return this;
      }

      /** PatientID, at most 64 characters. */
      public Builder patientId(String value) {
        patientId = text("patient id", value, 64);
        return this;
      }

      /** PatientSex: "M", "F", "O" or "" for unknown. */
      public Builder patientSex(String value) {
        if (!List.of("M", "F", "O", "").contains(value)) {
          throw new IllegalArgumentException("patient sex must be M, F, O or empty: " + value);
        }
        patientSex = value;
        return this;
      }

      /** PatientBirthDate: {@code YYYYMMDD}, or "" for unknown. */
      public Builder patientBirthDate(String value) {
        if (value == null || !value.matches("(\\d{8})?")) {
          throw new IllegalArgumentException(
              "patient birth date must be YYYYMMDD or empty: " + value);
        }
        patientBirthDate = value;
        return this;
      }

      /** StudyDescription, at most 64 characters. */
      public Builder studyDescription(String value) {
        studyDescription = text("study description", value, 64);
        return this;
      }

      /** SeriesDescription, at most 64 characters. */
      public Builder seriesDescription(String value) {
        seriesDescription = text("series description", value, 64);
        return this;
      }

      /**
       * BodyPartExamined: an unpaired body part in DICOM's defined terms (upper case letters,
       * digits, spaces and underscores, at most 16), e.g. "ABDOMEN", "CHEST", "HEAD"; or "" to
       * leave the attribute out (unknown).
       */
      public Builder bodyPartExamined(String value) {
        if (value == null || !value.matches("[A-Z0-9_ ]{0,16}")) {
          throw new IllegalArgumentException("not a DICOM body part term: " + value);
        }
        bodyPartExamined = value;
        return this;
      }

      /** Study number (written as StudyID), ≥ 0. */
      public Builder studyNumber(int value) {
        studyNumber = nonNegative("study number", value);
        return this;
      }

      /** SeriesNumber, ≥ 0. */
      public Builder seriesNumber(int value) {
        seriesNumber = nonNegative("series number", value);
        return this;
      }

      /** The seed all derived UIDs come from (any non-empty text). */
      public Builder uidSeed(String value) {
        if (value == null || value.isEmpty()) {
          throw new IllegalArgumentException("UID seed must not be empty");
        }
        uidSeed = value;
        return this;
      }

      /** The seed all derived UIDs come from, as a number. */
      public Builder uidSeed(long value) {
        return uidSeed(Long.toString(value));
      }

      /** A StudyInstanceUID to use instead of the derived one, to add a series to a study. */
      public Builder studyInstanceUid(String value) {
        studyInstanceUid = uid("study instance UID", value);
        return this;
      }

      /** A FrameOfReferenceUID to use instead of the derived one. */
      public Builder frameOfReferenceUid(String value) {
        frameOfReferenceUid = uid("frame of reference UID", value);
        return this;
      }

      /**
       * The file name of each slice, a {@link String#format} pattern applied to the 1-based
       * instance number (e.g. {@code IM%05d.dcm}); it must name a file, not a path.
       */
      public Builder fileNamePattern(String value) {
        String sample;
        try {
          sample = String.format(value, 1);
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("bad file name pattern: " + value, e);
        }
        if (sample.isEmpty()
            || sample.contains("/")
            || sample.contains("\\")
            || sample.startsWith(".")
            || sample.equals(String.format(value, 2))) {
          throw new IllegalArgumentException(
              "file name pattern must give a distinct plain file name per instance: " + value);
        }
        fileNamePattern = value;
        return this;
      }

      /** The temporal position of a 4D phase series, or {@code null} for an ordinary series. */
      public Builder temporalPosition(TemporalPosition value) {
        temporalPosition = value;
        return this;
      }

      /** The date and time written in every date/time attribute. */
      public Builder dateTime(LocalDateTime value) {
        dateTime = Objects.requireNonNull(value, "date time");
        return this;
      }

      /** Whether ImageType is DERIVED\SECONDARY\AXIAL instead of ORIGINAL\PRIMARY\AXIAL. */
      public Builder derived(boolean value) {
        derived = value;
        return this;
      }

      /** DerivationDescription of a derived series, at most 1024 characters. */
      public Builder derivationDescription(String value) {
        derivationDescription = text("derivation description", value, 1024);
        return this;
      }

      /**
       * The image each slice was computed from, one per slice (checked when writing), or empty for
       * none.
       */
      public Builder sourceImages(List<SourceImage> value) {
        sourceImages = List.copyOf(value);
        return this;
      }

      /** KVP in kV, &gt; 0. */
      public Builder kvp(double value) {
        kvp = positive("kVp", value);
        return this;
      }

      /** WindowCenter and WindowWidth in HU; the width must be ≥ 1. */
      public Builder window(double center, double width) {
        if (!Double.isFinite(center) || !(width >= 1) || Double.isInfinite(width)) {
          throw new IllegalArgumentException("bad window " + center + "/" + width);
        }
        windowCenter = center;
        windowWidth = width;
        return this;
      }

      /** The options set so far. */
      public Options build() {
        return new Options(this);
      }

      private static String text(String what, String value, int maxLength) {
        Objects.requireNonNull(value, what);
        if (value.length() > maxLength || value.contains("\\")) {
          throw new IllegalArgumentException(
              what + " must be at most " + maxLength + " characters without '\\': " + value);
        }
        return value;
      }

      private static String uid(String what, String value) {
        if (value == null
            || value.isEmpty()
            || value.length() > 64
            || !value.matches("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*")) {
          throw new IllegalArgumentException("not a valid DICOM UID for " + what + ": " + value);
        }
        return value;
      }

      private static int nonNegative(String what, int value) {
        if (value < 0) {
          throw new IllegalArgumentException(what + " must be ≥ 0: " + value);
        }
        return value;
      }

      private static double positive(String what, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
          throw new IllegalArgumentException(what + " must be > 0: " + value);
        }
        return value;
      }
    }
  }
}
