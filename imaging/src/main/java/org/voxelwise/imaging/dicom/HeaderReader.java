package org.voxelwise.imaging.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.TagFromName;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads DICOM files with PixelMed: headers only (stopping at Pixel Data), or whole. Recognises
 * files with and without the 128-byte preamble and meta information, and tells DICOM from other
 * files by their first bytes before PixelMed sees them.
 */
final class HeaderReader {
  static final String IMPLICIT_LE = "1.2.840.10008.1.2";
  static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
  static final String EXPLICIT_BE = "1.2.840.10008.1.2.2";
  static final String DEFLATED_LE = "1.2.840.10008.1.2.1.99";
  static final String DICOMDIR_SOP_CLASS = "1.2.840.10008.1.3.10";
  static final AttributeTag TEMPORAL_POSITION_IDENTIFIER = new AttributeTag(0x0020, 0x0100);
  static final AttributeTag NOMINAL_CARDIAC_TRIGGER_DELAY = new AttributeTag(0x0020, 0x9153);
  static final AttributeTag CARDIAC_SYNCHRONIZATION_SEQUENCE = new AttributeTag(0x0018, 0x9118);

  /** PixelMed logs its own read errors through java.util.logging; we report them ourselves. */
  private static final Logger PIXELMED_LOGGER = Logger.getLogger("com.pixelmed");

  static {
    PIXELMED_LOGGER.setLevel(Level.OFF);
  }

  private HeaderReader() {}

  /** How a file's first bytes say it is encoded, or that it is not DICOM. */
  enum Encoding {
    /** Preamble and "DICM": the meta information names the transfer syntax. */
    WITH_META,
    NO_META_IMPLICIT_LE,
    NO_META_EXPLICIT_LE,
    NO_META_EXPLICIT_BE,
    NOT_DICOM
  }

  static Encoding sniff(Path file) throws IOException {
    byte[] head = new byte[132];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    if (n == 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M') {
      return Encoding.WITH_META;
    }
    if (n < 8) {
      return Encoding.NOT_DICOM;
    }
    int groupLe = (head[0] & 0xff) | (head[1] & 0xff) << 8;
    int groupBe = (head[1] & 0xff) | (head[0] & 0xff) << 8;
    boolean explicitVr = isVr(head[4], head[5]);
    if (plausibleFirstGroup(groupLe)) {
      return explicitVr ? Encoding.NO_META_EXPLICIT_LE : Encoding.NO_META_IMPLICIT_LE;
    }
    if (plausibleFirstGroup(groupBe) && explicitVr) {
      return Encoding.NO_META_EXPLICIT_BE;
    }
    return Encoding.NOT_DICOM;
  }

  private static boolean plausibleFirstGroup(int group) {
    return group == 0x0002 || group == 0x0008;
  }

  private static final String VRS =
      "AE AS AT CS DA DS DT FL FD IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR"
          + " US UT UV";

  private static boolean isVr(byte a, byte b) {
    if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z') {
      return false;
    }
    return VRS.contains("" + (char) a + (char) b);
  }

  /**
   * Opens a PixelMed stream on a DICOM file of the given encoding (not {@link Encoding#NOT_DICOM}).
   */
  static DicomInputStream open(Path file, Encoding encoding) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
    try {
      return switch (encoding) {
        case WITH_META -> new DicomInputStream(in);
        case NO_META_IMPLICIT_LE -> new DicomInputStream(in, IMPLICIT_LE, false);
        case NO_META_EXPLICIT_LE -> new DicomInputStream(in, EXPLICIT_LE, false);
        case NO_META_EXPLICIT_BE -> new DicomInputStream(in, EXPLICIT_BE, false);
        case NOT_DICOM -> throw new IllegalArgumentException("not DICOM");
      };
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /**
   * Whether the four bytes before {@code tagEnd} in the file are the Pixel Data tag (7FE0,0010), in
   * little or big endian order: that is, whether a header read that stopped at {@code tagEnd}
   * stopped because it reached the pixel data and not because the file ended or was corrupt. Only
   * meaningful for transfer syntaxes that are not deflated (offsets are then file offsets).
   */
  static boolean pixelDataTagBefore(Path file, long tagEnd) throws IOException {
    if (tagEnd < 4) {
      return false;
    }
    byte[] tag = new byte[4];
    try (InputStream in = Files.newInputStream(file)) {
      in.skipNBytes(tagEnd - 4);
      if (in.readNBytes(tag, 0, 4) < 4) {
        return false;
      }
    } catch (java.io.EOFException e) {
      return false;
    }
    boolean littleEndian =
        tag[0] == (byte) 0xE0 && tag[1] == 0x7F && tag[2] == 0x10 && tag[3] == 0x00;
    boolean bigEndian = tag[0] == 0x7F && tag[1] == (byte) 0xE0 && tag[2] == 0x00 && tag[3] == 0x10;
    return littleEndian || bigEndian;
  }

  /** The transfer syntax a file without meta information is read with. */
  static String transferSyntaxOf(Encoding encoding, AttributeList list) {
    return switch (encoding) {
      case NO_META_IMPLICIT_LE -> IMPLICIT_LE;
      case NO_META_EXPLICIT_LE -> EXPLICIT_LE;
      case NO_META_EXPLICIT_BE -> EXPLICIT_BE;
      default -> {
        String ts =
            Attribute.getSingleStringValueOrEmptyString(list, TagFromName.TransferSyntaxUID);
        yield ts.isEmpty() ? IMPLICIT_LE : ts;
      }
    };
  }

  /** Builds the header record from an attribute list read up to (not including) Pixel Data. */
  static InstanceHeader toHeader(
      Path file, AttributeList list, String transferSyntax, long pixelDataTagEnd) {
    int frameCount = Math.max(1, getInt(list, TagFromName.NumberOfFrames, 1));
    List<FrameHeader> frames = new ArrayList<>(frameCount);
    AttributeList shared = firstItem(list, TagFromName.SharedFunctionalGroupsSequence);
    SequenceAttribute perFrame =
        list.get(TagFromName.PerFrameFunctionalGroupsSequence) instanceof SequenceAttribute s
            ? s
            : null;
    for (int f = 0; f < frameCount; f++) {
      AttributeList own =
          perFrame != null && f < perFrame.getNumberOfItems()
              ? perFrame.getItem(f).getAttributeList()
              : null;
      frames.add(frameHeader(f, list, shared, own));
    }
    return new InstanceHeader(
        file,
        getString(list, TagFromName.SOPClassUID),
        getString(list, TagFromName.SOPInstanceUID),
        transferSyntax,
        getString(list, TagFromName.PatientID),
        getString(list, TagFromName.PatientName),
        getString(list, TagFromName.StudyInstanceUID),
        getString(list, TagFromName.StudyDescription),
        getString(list, TagFromName.StudyDate),
        getString(list, TagFromName.SeriesInstanceUID),
        getInt(list, TagFromName.SeriesNumber, 0),
        getString(list, TagFromName.SeriesDescription),
        getString(list, TagFromName.Modality),
        getString(list, TagFromName.FrameOfReferenceUID),
        imageType(list),
        getInt(list, TagFromName.InstanceNumber, 0),
        getInt(list, TagFromName.Rows, 0),
        getInt(list, TagFromName.Columns, 0),
        getInt(list, TagFromName.BitsAllocated, 16),
        getInt(list, TagFromName.BitsStored, getInt(list, TagFromName.BitsAllocated, 16)),
        getInt(list, TagFromName.PixelRepresentation, 0),
        getInt(list, TagFromName.SamplesPerPixel, 1),
        getString(list, TagFromName.PhotometricInterpretation),
        pixelDataTagEnd,
        List.copyOf(frames));
  }

  /** The values of ImageType, empty when it is absent or empty. */
  private static List<String> imageType(AttributeList list) {
    String[] values = Attribute.getStringValues(list, TagFromName.ImageType);
    return values == null ? List.of() : Arrays.stream(values).map(String::trim).toList();
  }

  /**
   * A frame's geometry and rescale: from its own functional groups, then the shared ones, then the
   * top level of the data set (classic images).
   */
  private static FrameHeader frameHeader(
      int index, AttributeList top, AttributeList shared, AttributeList own) {
    double[] position =
        doubles(
            3,
            nested(own, TagFromName.PlanePositionSequence, TagFromName.ImagePositionPatient),
            nested(shared, TagFromName.PlanePositionSequence, TagFromName.ImagePositionPatient),
            top.get(TagFromName.ImagePositionPatient));
    double[] orientation =
        doubles(
            6,
            nested(own, TagFromName.PlaneOrientationSequence, TagFromName.ImageOrientationPatient),
            nested(
                shared, TagFromName.PlaneOrientationSequence, TagFromName.ImageOrientationPatient),
            top.get(TagFromName.ImageOrientationPatient));
    if (orientation != null && !isPlausibleOrientation(orientation)) {
      orientation = null; // zero or parallel axes: treated as missing
    }
    double[] spacing =
        doubles(
            2,
            nested(own, TagFromName.PixelMeasuresSequence, TagFromName.PixelSpacing),
            nested(shared, TagFromName.PixelMeasuresSequence, TagFromName.PixelSpacing),
            top.get(TagFromName.PixelSpacing));
    double[] slope =
        doubles(
            1,
            nested(own, TagFromName.PixelValueTransformationSequence, TagFromName.RescaleSlope),
            nested(shared, TagFromName.PixelValueTransformationSequence, TagFromName.RescaleSlope),
            top.get(TagFromName.RescaleSlope));
    double[] intercept =
        doubles(
            1,
            nested(own, TagFromName.PixelValueTransformationSequence, TagFromName.RescaleIntercept),
            nested(
                shared, TagFromName.PixelValueTransformationSequence, TagFromName.RescaleIntercept),
            top.get(TagFromName.RescaleIntercept));
    double[] temporal =
        doubles(
            1,
            nested(own, TagFromName.FrameContentSequence, TagFromName.TemporalPositionIndex),
            nested(own, CARDIAC_SYNCHRONIZATION_SEQUENCE, NOMINAL_CARDIAC_TRIGGER_DELAY),
            top.get(TagFromName.TemporalPositionIndex),
            top.get(TEMPORAL_POSITION_IDENTIFIER),
            top.get(TagFromName.TriggerTime));
    double slopeValue = slope == null || slope[0] == 0 ? 1 : slope[0];
    return new FrameHeader(
        index,
        position,
        orientation,
        spacing,
        slopeValue,
        intercept == null ? 0 : intercept[0],
        temporal == null ? null : temporal[0]);
  }

  /** Whether row and column direction cosines are non-zero and not parallel. */
  static boolean isPlausibleOrientation(double[] o) {
    double[] x = {o[0], o[1], o[2]};
    double[] y = {o[3], o[4], o[5]};
    double[] n = {x[1] * y[2] - x[2] * y[1], x[2] * y[0] - x[0] * y[2], x[0] * y[1] - x[1] * y[0]};
    return norm(n) > 1e-6 * norm(x) * norm(y) && norm(x) > 1e-6 && norm(y) > 1e-6;
  }

  private static double norm(double[] v) {
    return Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
  }

  private static AttributeList firstItem(AttributeList list, AttributeTag sequenceTag) {
    if (list != null
        && list.get(sequenceTag) instanceof SequenceAttribute s
        && s.getNumberOfItems() > 0) {
      SequenceItem item = s.getItem(0);
      return item.getAttributeList();
    }
    return null;
  }

  private static Attribute nested(AttributeList list, AttributeTag sequenceTag, AttributeTag tag) {
    AttributeList item = firstItem(list, sequenceTag);
    return item == null ? null : item.get(tag);
  }

  /** The first of the attributes that has {@code count} finite numeric values, or null. */
  private static double[] doubles(int count, Attribute... candidates) {
    for (Attribute a : candidates) {
      if (a == null || a.getVM() < count) {
        continue;
      }
      try {
        double[] v = Arrays.copyOf(a.getDoubleValues(), count);
        if (Arrays.stream(v).allMatch(Double::isFinite)) {
          return v;
        }
      } catch (Exception malformed) {
        // a value that is not a number: try the next source
      }
    }
    return null;
  }

  static String getString(AttributeList list, AttributeTag tag) {
    return Attribute.getSingleStringValueOrEmptyString(list, tag).trim();
  }

  static int getInt(AttributeList list, AttributeTag tag, int fallback) {
    try {
      return Attribute.getSingleIntegerValueOrDefault(list, tag, fallback);
    } catch (RuntimeException malformed) {
      return fallback;
    }
  }
}
