package org.voxelwise.imaging.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.utils.ColorUtilities;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.LabelVolume;

/**
 * Reads a binary DICOM Segmentation (from {@link SegmentationWriter} or another tool) back into a
 * {@link LabelVolume} on the grid of the CT series it refers to.
 *
 * <p>Contract: segment number {@code n} becomes label value {@code n}, with the segment's label as
 * name, its RecommendedDisplayCIELabValue as colour (grey when absent), its type and category
 * codes; voxels of no segment are 0. Frames are placed by their position and orientation, not by
 * their order or source-image references, so a SEG of any frame order, and with frames only where a
 * segment is present, reads correctly. Where segments overlap (allowed in DICOM, impossible in a
 * label volume) the higher segment number wins. Every problem — not DICOM, not a SEG, truncated
 * pixel data, a fractional SEG, segment numbers beyond 255, frames off the series' grid, a
 * referenced series that is not there — is a {@link BadInputException} naming the file.
 */
public final class SegmentationReader {
  /** How far a frame may lie from the grid, in voxels (positions are rounded decimal strings). */
  private static final double GRID_TOLERANCE_VOXELS = 0.05;

  private SegmentationReader() {}

  /** A SEG and the CT series it refers to, loaded. */
  public record Overlay(LoadedSeries ct, LabelVolume labels) {}

  /**
   * Reads a SEG onto the grid of a loaded CT series, which must be one the SEG refers to.
   *
   * @throws BadInputException when the file is not a readable binary SEG, does not refer to {@code
   *     ct}, or has frames off its grid
   */
  public static LabelVolume read(Path segFile, LoadedSeries ct) throws BadInputException {
    Parsed seg = parse(segFile);
    if (!seg.referencedSeries().contains(ct.seriesInstanceUid())) {
      throw new BadInputException(
          segFile,
          "segments series "
              + String.join(", ", seg.referencedSeries())
              + ", not the series "
              + ct.seriesInstanceUid());
    }
    return toLabels(segFile, seg, ct.volume().geometry());
  }

  /**
   * Reads a SEG and loads the CT series it refers to from a scanned folder.
   *
   * @param index a scan that holds the referenced series (e.g. of the study's folder)
   * @throws BadInputException when the file is not a readable binary SEG, the referenced series is
   *     not in {@code index} or cannot be loaded, or the SEG's frames lie off its grid
   */
  public static Overlay read(Path segFile, DicomIndex index, ProgressListener progress)
      throws BadInputException {
    Parsed seg = parse(segFile);
    DicomIndex.Series series =
        index.allSeries().stream()
            .filter(s -> seg.referencedSeries().contains(s.seriesInstanceUid()))
            .findFirst()
            .orElseThrow(
                () ->
                    new BadInputException(
                        segFile,
                        "its referenced series "
                            + String.join(", ", seg.referencedSeries())
                            + " is not among the "
                            + index.allSeries().size()
                            + " series found"));
    LoadedSeries ct = SeriesLoader.load(series, progress);
    return new Overlay(ct, toLabels(segFile, seg, ct.volume().geometry()));
  }

  /** One frame: its segment number, position and orientation. */
  private record Frame(int segment, double[] position, double[] orientation) {}

  /** What a SEG file holds, before it is put on a grid. */
  private record Parsed(
      Set<String> referencedSeries,
      int rows,
      int columns,
      List<LabelVolume.Label> segments,
      List<Frame> frames,
      byte[] bits) {}

  private static Parsed parse(Path file) throws BadInputException {
    AttributeList list = readWhole(file);
    String sopClass = HeaderReader.getString(list, TagFromName.SOPClassUID);
    if (!SegmentationWriter.SOP_CLASS.equals(sopClass)) {
      throw new BadInputException(
          file,
          "not a DICOM Segmentation (SOP class " + (sopClass.isEmpty() ? "none" : sopClass) + ")");
    }
    if (list.get(TagFromName.PixelData) == null) {
      throw new BadInputException(file, "truncated or corrupt DICOM SEG: no pixel data");
    }
    String type = HeaderReader.getString(list, TagFromName.SegmentationType);
    if (!type.equals("BINARY")) {
      throw new BadInputException(
          file,
          "SegmentationType " + (type.isEmpty() ? "missing" : type) + "; only BINARY is read");
    }
    Set<String> referenced = new HashSet<>();
    for (AttributeList item : items(list, TagFromName.ReferencedSeriesSequence)) {
      String uid = HeaderReader.getString(item, TagFromName.SeriesInstanceUID);
      if (!uid.isEmpty()) {
        referenced.add(uid);
      }
    }
    if (referenced.isEmpty()) {
      throw new BadInputException(file, "names no referenced series (ReferencedSeriesSequence)");
    }
    int rows = HeaderReader.getInt(list, TagFromName.Rows, 0);
    int columns = HeaderReader.getInt(list, TagFromName.Columns, 0);
    int frameCount = HeaderReader.getInt(list, TagFromName.NumberOfFrames, 1);
    int bitsAllocated = HeaderReader.getInt(list, TagFromName.BitsAllocated, 0);
    if (rows < 1 || columns < 1 || frameCount < 1 || bitsAllocated != 1) {
      throw new BadInputException(
          file,
          String.format(
              "unusable image attributes (%d rows, %d columns, %d frames, BitsAllocated %d)",
              rows, columns, frameCount, bitsAllocated));
    }
    List<LabelVolume.Label> segments = segments(file, list);
    List<Frame> frames = frames(file, list, frameCount, segments);
    byte[] bits = pixelBytes(file, list);
    long needed = ((long) rows * columns * frameCount + 7) / 8;
    if (bits.length < needed) {
      throw new BadInputException(
          file, "pixel data is truncated (" + bits.length + " bytes, " + needed + " needed)");
    }
    return new Parsed(referenced, rows, columns, segments, frames, bits);
  }

  private static AttributeList readWhole(Path file) throws BadInputException {
    HeaderReader.Encoding encoding;
    try {
      encoding = HeaderReader.sniff(file);
    } catch (IOException e) {
      throw new BadInputException(file, "cannot be read (" + e.getMessage() + ")", e);
    }
    if (encoding == HeaderReader.Encoding.NOT_DICOM) {
      throw new BadInputException(file, "not a DICOM file");
    }
    AttributeList list = new AttributeList();
    try (DicomInputStream in = HeaderReader.open(file, encoding)) {
      list.read(in);
    } catch (Exception | StackOverflowError | OutOfMemoryError e) {
      throw new BadInputException(
          file, "corrupt or truncated DICOM (" + DicomScanner.reason(e) + ")", e);
    }
    return list;
  }

  private static List<LabelVolume.Label> segments(Path file, AttributeList list)
      throws BadInputException {
    List<LabelVolume.Label> segments = new ArrayList<>();
    Set<Integer> numbers = new HashSet<>();
    for (AttributeList item : items(list, TagFromName.SegmentSequence)) {
      int number = HeaderReader.getInt(item, TagFromName.SegmentNumber, 0);
      if (number < 1 || number > 255) {
        throw new BadInputException(
            file, "segment number " + number + " is outside 1..255, which labels can hold");
      }
      if (!numbers.add(number)) {
        throw new BadInputException(file, "segment number " + number + " appears twice");
      }
      String name = HeaderReader.getString(item, TagFromName.SegmentLabel);
      segments.add(
          new LabelVolume.Label(
              number,
              name.isEmpty() ? "segment " + number : name,
              colour(item),
              code(item, TagFromName.SegmentedPropertyTypeCodeSequence),
              code(item, TagFromName.SegmentedPropertyCategoryCodeSequence)));
    }
    if (segments.isEmpty()) {
      throw new BadInputException(file, "has no SegmentSequence items");
    }
    return segments;
  }

  private static int colour(AttributeList item) {
    Attribute a = item.get(TagFromName.RecommendedDisplayCIELabValue);
    try {
      if (a != null && a.getVM() == 3) {
        int[] rgb = ColorUtilities.getSRGBFromIntegerScaledCIELabPCS(a.getIntegerValues());
        return clamp(rgb[0]) << 16 | clamp(rgb[1]) << 8 | clamp(rgb[2]);
      }
    } catch (Exception malformed) {
      // fall through to grey
    }
    return 0x808080;
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  private static LabelVolume.Code code(AttributeList item, AttributeTag sequence) {
    List<AttributeList> codes = items(item, sequence);
    if (codes.isEmpty()) {
      return null;
    }
    AttributeList c = codes.get(0);
    String scheme = HeaderReader.getString(c, TagFromName.CodingSchemeDesignator);
    String value = HeaderReader.getString(c, TagFromName.CodeValue);
    String meaning = HeaderReader.getString(c, TagFromName.CodeMeaning);
    if (scheme.isEmpty() || value.isEmpty() || meaning.isEmpty()) {
      return null;
    }
    return new LabelVolume.Code(scheme, value, meaning);
  }

  private static List<Frame> frames(
      Path file, AttributeList list, int frameCount, List<LabelVolume.Label> segments)
      throws BadInputException {
    List<AttributeList> shared = items(list, TagFromName.SharedFunctionalGroupsSequence);
    AttributeList sharedGroups = shared.isEmpty() ? new AttributeList() : shared.get(0);
    List<AttributeList> perFrame = items(list, TagFromName.PerFrameFunctionalGroupsSequence);
    if (perFrame.size() != frameCount) {
      throw new BadInputException(
          file,
          "has "
              + frameCount
              + " frames but "
              + perFrame.size()
              + " PerFrameFunctionalGroupsSequence items");
    }
    Set<Integer> known = new HashSet<>();
    segments.forEach(s -> known.add(s.value()));
    List<Frame> frames = new ArrayList<>(frameCount);
    for (int f = 0; f < frameCount; f++) {
      AttributeList own = perFrame.get(f);
      double[] position =
          doubles(
              own,
              sharedGroups,
              TagFromName.PlanePositionSequence,
              TagFromName.ImagePositionPatient,
              3);
      double[] orientation =
          doubles(
              own,
              sharedGroups,
              TagFromName.PlaneOrientationSequence,
              TagFromName.ImageOrientationPatient,
              6);
      int segment =
          (int)
              number(
                  own,
                  sharedGroups,
                  TagFromName.SegmentIdentificationSequence,
                  TagFromName.ReferencedSegmentNumber);
      if (position == null || orientation == null || !known.contains(segment)) {
        throw new BadInputException(
            file,
            "frame " + (f + 1) + " lacks its position, orientation or a known segment number");
      }
      frames.add(new Frame(segment, position, orientation));
    }
    return frames;
  }

  /** A functional group's values: from the frame's own groups, else from the shared ones. */
  private static double[] doubles(
      AttributeList own, AttributeList shared, AttributeTag group, AttributeTag tag, int count) {
    for (AttributeList groups : new AttributeList[] {own, shared}) {
      List<AttributeList> items = items(groups, group);
      Attribute a = items.isEmpty() ? null : items.get(0).get(tag);
      if (a != null && a.getVM() == count) {
        try {
          return a.getDoubleValues();
        } catch (Exception malformed) {
          return null;
        }
      }
    }
    return null;
  }

  private static double number(
      AttributeList own, AttributeList shared, AttributeTag group, AttributeTag tag) {
    double[] v = doubles(own, shared, group, tag, 1);
    return v == null ? -1 : v[0];
  }

  private static byte[] pixelBytes(Path file, AttributeList list) throws BadInputException {
    Attribute a = list.get(TagFromName.PixelData);
    try {
      if (a instanceof OtherWordAttribute) {
        short[] words = a.getShortValues();
        byte[] b = new byte[words.length * 2];
        for (int i = 0; i < words.length; i++) {
          b[2 * i] = (byte) words[i];
          b[2 * i + 1] = (byte) (words[i] >> 8);
        }
        return b;
      }
      return a.getByteValues();
    } catch (Exception e) {
      throw new BadInputException(
          file, "unreadable pixel data (" + DicomScanner.reason(e) + ")", e);
    }
  }

  private static LabelVolume toLabels(Path file, Parsed seg, Geometry g) throws BadInputException {
    if (seg.rows() != g.sizeY() || seg.columns() != g.sizeX()) {
      throw new BadInputException(
          file,
          "frames of "
              + seg.columns()
              + "×"
              + seg.rows()
              + " do not fit the series' "
              + g.sizeX()
              + "×"
              + g.sizeY()
              + " images");
    }
    double[][] inverse = SegmentationSource.inverse(g);
    double[] ax = g.axisX();
    double[] ay = g.axisY();
    int plane = g.sizeX() * g.sizeY();
    byte[] values = new byte[Math.toIntExact(g.voxelCount())];
    List<Frame> frames = seg.frames();
    Map<Integer, List<Integer>> framesBySegment = new LinkedHashMap<>();
    for (int f = 0; f < frames.size(); f++) {
      framesBySegment.computeIfAbsent(frames.get(f).segment(), k -> new ArrayList<>()).add(f);
    }
    List<Integer> order = new ArrayList<>(framesBySegment.keySet());
    order.sort(null); // higher segment numbers are written last and so win
    for (int segment : order) {
      for (int f : framesBySegment.get(segment)) {
        Frame frame = frames.get(f);
        double[] o = frame.orientation();
        boolean aligned =
            Math.abs(o[0] - ax[0]) + Math.abs(o[1] - ax[1]) + Math.abs(o[2] - ax[2]) < 1e-3
                && Math.abs(o[3] - ay[0]) + Math.abs(o[4] - ay[1]) + Math.abs(o[5] - ay[2]) < 1e-3;
        double[] ijk = SegmentationSource.apply(inverse, frame.position());
        int k = (int) Math.round(ijk[2]);
        if (!aligned
            || Math.abs(ijk[0]) > GRID_TOLERANCE_VOXELS
            || Math.abs(ijk[1]) > GRID_TOLERANCE_VOXELS
            || Math.abs(ijk[2] - k) > GRID_TOLERANCE_VOXELS
            || k < 0
            || k >= g.sizeZ()) {
          throw new BadInputException(
              file, "frame " + (f + 1) + " does not lie on a slice of the referenced series");
        }
        long bit = (long) f * plane;
        byte value = (byte) segment;
        int to = k * plane;
        byte[] bits = seg.bits();
        for (int i = 0; i < plane; i++, bit++) {
          if ((bits[(int) (bit >>> 3)] >> (bit & 7) & 1) != 0) {
            values[to + i] = value;
          }
        }
      }
    }
    return new LabelVolume(g, values, seg.segments());
  }

  private static List<AttributeList> items(AttributeList list, AttributeTag sequence) {
    List<AttributeList> items = new ArrayList<>();
    if (list != null && list.get(sequence) instanceof SequenceAttribute s) {
      for (int i = 0; i < s.getNumberOfItems(); i++) {
        items.add(s.getItem(i).getAttributeList());
      }
    }
    return items;
  }
}
