package org.voxelwise.imaging.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.dicom.SegmentationWriter.AlgorithmType;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.LabelVolume;
import org.voxelwise.imaging.volume.LiverTumorLabels;
import org.voxelwise.imaging.volume.Volume;

/**
 * DICOM SEG written by {@link SegmentationWriter} and read back by {@link SegmentationReader}, on
 * real files checked by dciodvfy and pydicom.
 */
class SegmentationWriterTest {
  @TempDir Path dir;

  /** A CT series written, scanned and loaded, as the command line would find it. */
  private record Study(
      CtSeriesWriter.Options options, DicomIndex index, DicomIndex.Series series, LoadedSeries ct) {
    Geometry geometry() {
      return ct.volume().geometry();
    }
  }

  private Study writeStudy(Geometry g, String name) throws Exception {
    short[] hu = new short[(int) g.voxelCount()];
    for (int i = 0; i < hu.length; i++) {
      hu[i] = (short) (i % 7 == 0 ? -1000 : 40 + i % 50);
    }
    CtSeriesWriter.Options options =
        CtSeriesWriter.Options.builder()
            .uidSeed("seg-test-" + name)
            .patientId("SEG-" + name)
            .patientName("Segment^Test")
            .build();
    Path folder = dir.resolve(name);
    CtSeriesWriter.write(Volume.ofShorts(g, "CT", hu), folder, options, ProgressListener.NONE);
    DicomIndex index = DicomScanner.scan(folder, ProgressListener.NONE);
    DicomIndex.Series series = index.allSeries().get(0);
    LoadedSeries ct = SeriesLoader.load(series, ProgressListener.NONE);
    assertTrue(ct.volume().geometry().sameGrid(g, 1e-3), "loaded on the written grid");
    return new Study(options, index, series, ct);
  }

  /** Liver: an ellipsoid not touching the first and last slices; tumor: a ball inside it. */
  private static byte[] liverWithTumor(Geometry g, boolean withTumor) {
    int nx = g.sizeX();
    int ny = g.sizeY();
    int nz = g.sizeZ();
    byte[] v = new byte[(int) g.voxelCount()];
    for (int z = 0; z < nz; z++) {
      for (int y = 0; y < ny; y++) {
        for (int x = 0; x < nx; x++) {
          double dx = (x - nx * 0.45) / (nx * 0.3);
          double dy = (y - ny * 0.5) / (ny * 0.3);
          double dz = (z - nz * 0.5) / (nz * 0.35);
          double tx = (x - nx * 0.5) / 3.0;
          double ty = (y - ny * 0.5) / 3.0;
          double tz = (z - nz * 0.6) / 1.6;
          int label = 0;
          if (dx * dx + dy * dy + dz * dz <= 1) {
            label = withTumor && tx * tx + ty * ty + tz * tz <= 1 ? 2 : 1;
          }
          v[x + nx * (y + ny * z)] = (byte) label;
        }
      }
    }
    return v;
  }

  private static Geometry geometry(String kind) {
    double[] spacing = {1.5, 1.25, 3};
    double[] origin = {-30.5, -20.25, 101};
    return switch (kind) {
      case "axial" -> Geometry.axisAligned(41, 36, 13, spacing, origin);
      case "oblique" -> {
        // axes rotated by 0.5 rad about (1, 2, 3)/√14
        double[] ax = rotate(new double[] {1, 0, 0});
        double[] ay = rotate(new double[] {0, 1, 0});
        yield new Geometry(41, 36, 13, spacing, origin, ax, ay, cross(ax, ay));
      }
      case "sagittal" ->
          new Geometry(
              41,
              36,
              13,
              spacing,
              origin,
              new double[] {0, 1, 0},
              new double[] {0, 0, -1},
              new double[] {-1, 0, 0});
      case "tilted" ->
          new Geometry(
              41,
              36,
              13,
              spacing,
              origin,
              new double[] {1, 0, 0},
              new double[] {0, 1, 0},
              new double[] {0, 0.25, 0.97});
      default -> throw new IllegalArgumentException(kind);
    };
  }

  private static double[] rotate(double[] v) {
    double n = Math.sqrt(14);
    double[] k = {1 / n, 2 / n, 3 / n};
    double c = Math.cos(0.5);
    double s = Math.sin(0.5);
    double[] kxv = cross(k, v);
    double kv = k[0] * v[0] + k[1] * v[1] + k[2] * v[2];
    double[] r = new double[3];
    for (int a = 0; a < 3; a++) {
      r[a] = v[a] * c + kxv[a] * s + k[a] * kv * (1 - c);
    }
    return r;
  }

  private static double[] cross(double[] a, double[] b) {
    return new double[] {
      a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]
    };
  }

  private static SegmentationWriter.Options modelOptions(String seed) {
    return SegmentationWriter.Options.builder()
        .uidSeed(seed)
        .dateTime(LocalDateTime.of(2026, 11, 25, 1, 2, 3))
        .algorithm(AlgorithmType.AUTOMATIC, "hdenseunet-liver 1.0.0")
        .seriesDescription("Liver and tumors (test)")
        .build();
  }

  private Path writeSeg(Study study, LabelVolume labels, String name) throws Exception {
    SegmentationSource source = SegmentationSource.of(study.series(), study.geometry());
    return SegmentationWriter.write(
        labels, source, dir.resolve(name), modelOptions(name), ProgressListener.NONE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"axial", "oblique", "sagittal", "tilted"})
  void segPassesDciodvfyAndPydicomDecodesOurLabelsFrameByFrame(String kind) throws Exception {
    Study study = writeStudy(geometry(kind), kind);
    Geometry g = study.geometry();
    LabelVolume labels = new LabelVolume(g, liverWithTumor(g, true), LiverTumorLabels.TABLE);
    Path seg = writeSeg(study, labels, kind + ".dcm");

    assertDciodvfyAccepts(seg);
    JsonObject ref = pydicomSeg(seg, labels);
    assertEquals(SegmentationWriter.SOP_CLASS, ref.get("sopClassUid").getAsString());
    assertEquals("SEG", ref.get("modality").getAsString());
    assertEquals(1, ref.get("bitsAllocated").getAsInt());
    assertEquals(study.options().patientId(), ref.get("patientId").getAsString());
    assertEquals("Segment^Test", ref.get("patientName").getAsString());
    assertEquals(study.options().studyInstanceUid(), ref.get("studyInstanceUid").getAsString());
    assertEquals(
        study.options().frameOfReferenceUid(), ref.get("frameOfReferenceUid").getAsString());
    assertEquals(study.options().seriesInstanceUid(), ref.get("referencedSeries").getAsString());
    assertEquals(g.sizeZ(), ref.getAsJsonArray("referencedInstances").size());
    assertArrayEquals(
        new double[] {g.spacingMm()[1], g.spacingMm()[0]}, doubles(ref.get("pixelSpacing")), 1e-9);
    double[] orientation = doubles(ref.get("orientation"));
    assertArrayEquals(
        g.axisX(), new double[] {orientation[0], orientation[1], orientation[2]}, 1e-9);
    assertArrayEquals(
        g.axisY(), new double[] {orientation[3], orientation[4], orientation[5]}, 1e-9);

    JsonArray segments = ref.getAsJsonArray("segments");
    assertEquals(2, segments.size());
    JsonObject liver = segments.get(0).getAsJsonObject();
    assertEquals(1, liver.get("number").getAsInt());
    assertEquals("liver", liver.get("label").getAsString());
    assertEquals("AUTOMATIC", liver.get("algorithmType").getAsString());
    assertEquals("hdenseunet-liver 1.0.0", liver.get("algorithmName").getAsString());
    assertEquals(List.of("SCT", "10200004", "Liver"), strings(liver.get("type")));
    assertEquals(
        List.of("SCT", "123037004", "Anatomical Structure"), strings(liver.get("category")));
    JsonObject tumor = segments.get(1).getAsJsonObject();
    assertEquals(List.of("SCT", "108369006", "Neoplasm"), strings(tumor.get("type")));
    assertEquals(
        List.of("SCT", "49755003", "Morphologically Altered Structure"),
        strings(tumor.get("category")));

    // the source image of each frame is the CT image of its slice
    for (JsonElement e : ref.getAsJsonArray("perFrame")) {
      JsonObject f = e.getAsJsonObject();
      int k = f.getAsJsonArray("dimensionIndex").get(1).getAsInt() - 1;
      assertEquals(study.options().instanceUid(k), f.get("sourceSop").getAsString());
      assertEquals("1.2.840.10008.5.1.4.1.1.2", f.get("sourceSopClass").getAsString());
      assertEquals(
          f.get("segment").getAsInt(), f.getAsJsonArray("dimensionIndex").get(0).getAsInt());
    }

    // and back: the same labels, on the loaded series and on the series found in a scan
    assertSameLabels(labels, SegmentationReader.read(seg, study.ct()));
    SegmentationReader.Overlay overlay =
        SegmentationReader.read(seg, study.index(), ProgressListener.NONE);
    assertEquals(study.ct().seriesInstanceUid(), overlay.ct().seriesInstanceUid());
    assertSameLabels(labels, overlay.labels());
  }

  @Test
  void anEmptyLabelIsASegmentWithoutFramesAndAllEmptyGivesOneBlankFrame() throws Exception {
    Study study = writeStudy(geometry("axial"), "empty");
    Geometry g = study.geometry();
    LabelVolume liverOnly = new LabelVolume(g, liverWithTumor(g, false), LiverTumorLabels.TABLE);
    Path seg = writeSeg(study, liverOnly, "liver-only.dcm");
    assertDciodvfyAccepts(seg);
    JsonObject ref = pydicomSeg(seg, liverOnly);
    assertEquals(2, ref.getAsJsonArray("segments").size(), "the tumor segment is still listed");
    for (JsonElement e : ref.getAsJsonArray("perFrame")) {
      assertEquals(1, e.getAsJsonObject().get("segment").getAsInt());
    }
    assertSameLabels(liverOnly, SegmentationReader.read(seg, study.ct()));

    LabelVolume none = new LabelVolume(g, new byte[(int) g.voxelCount()], LiverTumorLabels.TABLE);
    Path blank = writeSeg(study, none, "blank.dcm");
    assertDciodvfyAccepts(blank);
    JsonObject blankRef = pydicomSeg(blank, none);
    assertEquals(1, blankRef.get("frames").getAsInt());
    assertSameLabels(none, SegmentationReader.read(blank, study.ct()));
  }

  @Test
  void manualSegmentsAndSeededUidsGiveByteIdenticalFiles() throws Exception {
    Study study = writeStudy(geometry("axial"), "manual");
    Geometry g = study.geometry();
    LabelVolume labels = new LabelVolume(g, liverWithTumor(g, true), LiverTumorLabels.TABLE);
    SegmentationSource source = SegmentationSource.of(study.series(), g);
    SegmentationWriter.Options manual =
        SegmentationWriter.Options.builder()
            .uidSeed("truth")
            .dateTime(LocalDateTime.of(2000, 1, 1, 0, 0))
            .algorithm(AlgorithmType.MANUAL, null)
            .build();
    Path a =
        SegmentationWriter.write(
            labels, source, dir.resolve("a.dcm"), manual, ProgressListener.NONE);
    Path b =
        SegmentationWriter.write(
            labels, source, dir.resolve("b.dcm"), manual, ProgressListener.NONE);
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    assertDciodvfyAccepts(a);
    JsonObject ref = pydicomSeg(a, labels);
    JsonObject liver = ref.getAsJsonArray("segments").get(0).getAsJsonObject();
    assertEquals("MANUAL", liver.get("algorithmType").getAsString());
    assertEquals("", liver.get("algorithmName").getAsString());
    assertEquals(List.of(dir.resolve("a.dcm"), dir.resolve("b.dcm")), filesIn(dir));
    assertThrows(
        IllegalArgumentException.class,
        () -> SegmentationWriter.Options.builder().algorithm(AlgorithmType.AUTOMATIC, " "));
  }

  @Test
  void labelsOffTheSourceGridAreRefused() throws Exception {
    Study study = writeStudy(geometry("axial"), "offgrid");
    SegmentationSource source = SegmentationSource.of(study.series(), study.geometry());
    Geometry other = study.geometry().withSizeZ(5);
    LabelVolume labels =
        new LabelVolume(other, new byte[(int) other.voxelCount()], LiverTumorLabels.TABLE);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            SegmentationWriter.write(
                labels, source, dir.resolve("x.dcm"), modelOptions("x"), ProgressListener.NONE));
    assertTrue(Files.notExists(dir.resolve("x.dcm")));
  }

  @Test
  void badSegsAreClearBadInput() throws Exception {
    Study study = writeStudy(geometry("axial"), "bad");
    Geometry g = study.geometry();
    LabelVolume labels = new LabelVolume(g, liverWithTumor(g, true), LiverTumorLabels.TABLE);
    Path seg = writeSeg(study, labels, "good.dcm");

    // the referenced series is not in the scanned folder
    Study other = writeStudy(geometry("axial"), "other");
    assertBad(
        () -> SegmentationReader.read(seg, other.index(), ProgressListener.NONE),
        seg,
        "referenced series " + study.ct().seriesInstanceUid() + " is not among the 1 series");
    assertBad(() -> SegmentationReader.read(seg, other.ct()), seg, "not the series");

    // truncated in the pixel data, and in the header
    byte[] bytes = Files.readAllBytes(seg);
    Path cut = dir.resolve("cut.dcm");
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 100));
    assertBad(() -> SegmentationReader.read(cut, study.ct()), cut, "truncated");
    Path header = dir.resolve("header.dcm");
    Files.write(header, java.util.Arrays.copyOf(bytes, 700));
    assertBad(() -> SegmentationReader.read(header, study.ct()), header, "truncated");
    // not DICOM; a CT image instead of a SEG
    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "not a segmentation");
    assertBad(() -> SegmentationReader.read(text, study.ct()), text, "not a DICOM file");
    Path ctFile = study.series().instances().get(0).file();
    assertBad(
        () -> SegmentationReader.read(ctFile, study.ct()), ctFile, "not a DICOM Segmentation");
  }

  private interface Reading {
    Object run() throws Exception;
  }

  private static void assertBad(Reading reading, Path file, String problem) {
    BadInputException e = assertThrows(BadInputException.class, reading::run);
    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }

  private static void assertSameLabels(LabelVolume expected, LabelVolume actual) {
    assertTrue(expected.geometry().sameGrid(actual.geometry(), 1e-6));
    assertArrayEquals(expected.values(), actual.values(), "label values");
    assertEquals(expected.table(), actual.table(), "label table (names, colours, codes)");
  }

  /**
   * pydicom's view of a SEG, after checking that its pixel_array equals our labels frame by frame:
   * frame n is 1 exactly where the slice its DimensionIndexValues and position name holds the label
   * of its segment, and the frames are exactly the (segment, slice) pairs that hold voxels.
   */
  private JsonObject pydicomSeg(Path seg, LabelVolume labels) throws Exception {
    Path raw = Files.createTempFile(dir, "seg", ".raw");
    JsonObject ref = Reference.pythonOk("seg", seg.toString(), raw.toString());
    byte[] pixels = Files.readAllBytes(raw);
    Files.delete(raw);
    Geometry g = labels.geometry();
    int plane = g.sizeX() * g.sizeY();
    JsonArray frames = ref.getAsJsonArray("perFrame");
    assertEquals(frames.size(), ref.get("frames").getAsInt());
    assertEquals((long) frames.size() * plane, pixels.length, "pixel_array size");
    Set<String> seen = new HashSet<>();
    for (int n = 0; n < frames.size(); n++) {
      JsonObject f = frames.get(n).getAsJsonObject();
      int segment = f.get("segment").getAsInt();
      int k = f.getAsJsonArray("dimensionIndex").get(1).getAsInt() - 1;
      assertArrayEquals(
          g.voxelToPatient(0, 0, k), doubles(f.get("position")), 1e-3, "frame " + n + " position");
      seen.add(segment + "/" + k);
      for (int i = 0; i < plane; i++) {
        int expected = labels.valueAt(k * plane + i) == segment ? 1 : 0;
        if (pixels[n * plane + i] != expected) {
          fail("frame " + (n + 1) + " pixel " + i + ": pydicom " + pixels[n * plane + i]);
        }
      }
    }
    Set<String> present = new HashSet<>();
    for (int k = 0; k < g.sizeZ(); k++) {
      for (int i = k * plane; i < (k + 1) * plane; i++) {
        if (labels.valueAt(i) != 0) {
          present.add(labels.valueAt(i) + "/" + k);
        }
      }
    }
    if (present.isEmpty()) {
      present.add("1/0"); // the one blank frame of an empty segmentation
    }
    assertEquals(present, seen, "frames exactly where a segment has voxels");
    return ref;
  }

  /** dciodvfy (dicom3tools) must accept the file without any error or warning. */
  private static void assertDciodvfyAccepts(Path file) {
    Reference.Result r = Reference.run(List.of("/usr/bin/dciodvfy", file.toString()));
    String text = r.stdout() + r.stderr();
    List<String> complaints =
        text.lines().filter(l -> l.startsWith("Error") || l.startsWith("Warning")).toList();
    assertEquals(0, r.exitCode(), "dciodvfy exit status:\n" + text);
    assertEquals(List.of(), complaints, "dciodvfy:\n" + text);
    assertTrue(text.contains("Segmentation"), "dciodvfy checked it as a Segmentation:\n" + text);
  }

  private static List<Path> filesIn(Path folder) throws Exception {
    try (var s = Files.list(folder)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static double[] doubles(JsonElement e) {
    JsonArray a = e.getAsJsonArray();
    double[] d = new double[a.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = a.get(i).getAsDouble();
    }
    return d;
  }

  private static List<String> strings(JsonElement e) {
    List<String> s = new ArrayList<>();
    e.getAsJsonArray().forEach(x -> s.add(x.getAsString()));
    return s;
  }
}
