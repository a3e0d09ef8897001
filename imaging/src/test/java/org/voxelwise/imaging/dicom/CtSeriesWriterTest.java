package org.voxelwise.imaging.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxelwise.imaging.dicom.CtSeriesWriter.Options;
import org.voxelwise.imaging.dicom.CtSeriesWriter.TemporalPosition;
import org.voxelwise.imaging.progress.OperationCancelledException;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;
import org.voxelwise.imaging.volume.Volume4D;

class CtSeriesWriterTest {
  private static final String PYTHON = "/usr/bin/python3";

  /** Reads every file of a folder with pydicom and prints one JSON object per file, in order. */
  private static final String READER =
      String.join(
          "\n",
          "import json, os, sys",
          "import pydicom",
          "def num(v):",
          "    return None if v is None else [float(x) for x in v] if isinstance(v, (list, pydicom.multival.MultiValue)) else float(v)",
          "out = []",
          "for name in sorted(os.listdir(sys.argv[1])):",
          "    ds = pydicom.dcmread(os.path.join(sys.argv[1], name))",
          "    hu = ds.pixel_array.astype('float64') * float(ds.RescaleSlope) + float(ds.RescaleIntercept)",
          "    out.append({",
          "        'name': name,",
          "        'transferSyntax': str(ds.file_meta.TransferSyntaxUID),",
          "        'sopClass': str(ds.SOPClassUID),",
          "        'instanceNumber': int(ds.InstanceNumber),",
          "        'rows': int(ds.Rows), 'columns': int(ds.Columns),",
          "        'position': num(ds.ImagePositionPatient),",
          "        'orientation': num(ds.ImageOrientationPatient),",
          "        'pixelSpacing': num(ds.PixelSpacing),",
          "        'sliceThickness': num(ds.SliceThickness),",
          "        'sliceLocation': num(ds.SliceLocation),",
          "        'study': ds.StudyInstanceUID, 'series': ds.SeriesInstanceUID,",
          "        'frame': ds.FrameOfReferenceUID, 'sop': ds.SOPInstanceUID,",
          "        'seriesNumber': int(ds.SeriesNumber),",
          "        'seriesDescription': ds.get('SeriesDescription', ''),",
          "        'patientName': str(ds.PatientName),",
          "        'imageType': list(ds.ImageType),",
          "        'temporalId': ds.get('TemporalPositionIdentifier'),",
          "        'temporalIndex': ds.get('TemporalPositionIndex'),",
          "        'temporalCount': ds.get('NumberOfTemporalPositions'),",
          "        'triggerTime': num(ds.get('TriggerTime')),",
          "        'hu': hu.flatten().tolist(),",
          "    })",
          "print(json.dumps(out, default=str))");

  @TempDir Path dir;

  private static Volume rampVolume(Geometry g) {
    short[] values = new short[(int) g.voxelCount()];
    short[] special = {-32768, -2048, -1024, -1000, -1, 0, 1, 40, 1000, 3071, 3072, 32767};
    for (int i = 0; i < values.length; i++) {
      values[i] = i < special.length ? special[i] : (short) ((i * 337) % 6000 - 2500);
    }
    return Volume.ofShorts(g, "CT", values);
  }

  private static Geometry smallGeometry() {
    return Geometry.axisAligned(7, 5, 4, new double[] {0.8, 0.6, 2.5}, new double[] {-10, 20, 30});
  }

  private static Geometry obliqueGeometry() {
    double c = Math.cos(Math.toRadians(30));
    double s = Math.sin(Math.toRadians(30));
    double[] ax = {c, s, 0};
    double[] ay = {-s * 0.8, c * 0.8, 0.6};
    double[] az = {
      ax[1] * ay[2] - ax[2] * ay[1], ax[2] * ay[0] - ax[0] * ay[2], ax[0] * ay[1] - ax[1] * ay[0]
    };
    return new Geometry(
        6,
        4,
        3,
        new double[] {0.7, 0.9, 1.25},
        new double[] {-123.456789, 45.5, -7.25},
        ax,
        ay,
        az);
  }

  private static List<String> run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
    List<String> lines = new ArrayList<>(output.lines().toList());
    lines.add(0, Integer.toString(process.exitValue()));
    return lines;
  }

  private static JsonArray readWithPydicom(Path folder) throws Exception {
    assertTrue(Files.isExecutable(Path.of(PYTHON)), PYTHON + " is missing");
    Path script = Files.createTempFile("read-dicom", ".py");
    try {
      Files.writeString(script, READER);
      List<String> out = run(PYTHON, script.toString(), folder.toString());
      assertEquals("0", out.get(0), "pydicom failed: " + out);
      return JsonParser.parseString(out.get(out.size() - 1)).getAsJsonArray();
    } finally {
      Files.delete(script);
    }
  }

  /**
   * Fails unless dciodvfy accepts {@code file} with exit status 0 and no error; with {@code
   * warningsAllowed} false, also without any warning.
   */
  private static void assertDciodvfyClean(Path file, boolean warningsAllowed) throws Exception {
    assertTrue(Files.isExecutable(Path.of("/usr/bin/dciodvfy")), "dciodvfy is missing");
    List<String> out = run("/usr/bin/dciodvfy", file.toString());
    String text = String.join("\n", out.subList(1, out.size()));
    System.out.println("dciodvfy " + file.getFileName() + ":\n" + text);
    assertEquals("0", out.get(0), "dciodvfy exit status, output:\n" + text);
    assertFalse(out.stream().anyMatch(line -> line.contains("Error")), "dciodvfy errors:\n" + text);
  }

  private static double[] doubles(JsonElement e) {
    JsonArray a = e.getAsJsonArray();
    double[] d = new double[a.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = a.get(i).getAsDouble();
    }
    return d;
  }

  @Test
  void writtenFilesPassDciodvfy() throws Exception {
    List<Path> files =
        CtSeriesWriter.write(
            rampVolume(obliqueGeometry()),
            dir,
            Options.builder()
                .patientName("Müller^Jörg")
                .studyDescription("Writer test")
                .seriesDescription("Oblique")
                .build(),
            ProgressListener.NONE);
    assertDciodvfyClean(files.get(0), false);
    assertDciodvfyClean(files.get(files.size() - 1), false);
  }

  @Test
  void derivedPhaseSeriesPassesDciodvfy() throws Exception {
    List<Path> files =
        CtSeriesWriter.write(
            rampVolume(smallGeometry()),
            dir,
            Options.builder()
                .derived(true)
                .temporalPosition(new TemporalPosition(3, 10, 250.0))
                .build(),
            ProgressListener.NONE);
    // The temporal attributes are not in the CT Image IOD: dciodvfy warns about them.
    assertDciodvfyClean(files.get(1), true);
  }

  @Test
  void pydicomReadsBackEveryHuValueAndTheGeometry() throws Exception {
    Geometry g = smallGeometry();
    Volume volume = rampVolume(g);
    List<Path> files =
        CtSeriesWriter.write(
            volume, dir, Options.builder().patientName("Doe^Jane").build(), ProgressListener.NONE);
    assertEquals(g.sizeZ(), files.size());
    assertEquals(dir.resolve("IM00001.dcm"), files.get(0));
    JsonArray slices = readWithPydicom(dir);
    assertEquals(g.sizeZ(), slices.size());
    for (int k = 0; k < g.sizeZ(); k++) {
      JsonObject s = slices.get(k).getAsJsonObject();
      assertEquals("1.2.840.10008.1.2.1", s.get("transferSyntax").getAsString());
      assertEquals("1.2.840.10008.5.1.4.1.1.2", s.get("sopClass").getAsString());
      assertEquals(k + 1, s.get("instanceNumber").getAsInt());
      assertEquals(g.sizeY(), s.get("rows").getAsInt());
      assertEquals(g.sizeX(), s.get("columns").getAsInt());
      assertEquals("Doe^Jane", s.get("patientName").getAsString());
      double[] hu = doubles(s.get("hu"));
      assertEquals(g.sizeX() * g.sizeY(), hu.length);
      for (int j = 0; j < g.sizeY(); j++) {
        for (int i = 0; i < g.sizeX(); i++) {
          assertEquals(
              volume.valueAt(i, j, k), hu[i + g.sizeX() * j], 0, "HU at " + i + "," + j + "," + k);
        }
      }
      assertArrayEquals(g.voxelToPatient(0, 0, k), doubles(s.get("position")), 1e-9);
      assertArrayEquals(new double[] {0.6, 0.8}, doubles(s.get("pixelSpacing")), 1e-12);
      assertEquals(2.5, s.get("sliceThickness").getAsDouble(), 1e-12);
      assertEquals(30 + 2.5 * k, s.get("sliceLocation").getAsDouble(), 1e-9);
      assertEquals(List.of("ORIGINAL", "PRIMARY", "AXIAL"), strings(s.get("imageType")));
    }
  }

  @Test
  void obliqueGeometryIsWrittenExactly() throws Exception {
    Geometry g = obliqueGeometry();
    CtSeriesWriter.write(rampVolume(g), dir, Options.builder().build(), ProgressListener.NONE);
    JsonArray slices = readWithPydicom(dir);
    double[] orientation = new double[6];
    System.arraycopy(g.axisX(), 0, orientation, 0, 3);
    System.arraycopy(g.axisY(), 0, orientation, 3, 3);
    double[] n = g.sliceNormal();
    for (int k = 0; k < g.sizeZ(); k++) {
      JsonObject s = slices.get(k).getAsJsonObject();
      double[] p = g.voxelToPatient(0, 0, k);
      assertArrayEquals(p, doubles(s.get("position")), 1e-9);
      assertArrayEquals(orientation, doubles(s.get("orientation")), 1e-10);
      assertArrayEquals(new double[] {0.9, 0.7}, doubles(s.get("pixelSpacing")), 1e-12);
      assertEquals(1.25, s.get("sliceThickness").getAsDouble(), 1e-12);
      assertEquals(
          p[0] * n[0] + p[1] * n[1] + p[2] * n[2], s.get("sliceLocation").getAsDouble(), 1e-9);
    }
  }

  @Test
  void floatVolumesAreRoundedAndClamped() throws Exception {
    Geometry g = Geometry.axisAligned(3, 2, 1, new double[] {1, 1, 1}, new double[] {0, 0, 0});
    float[] values = {1.4f, -1.6f, 2.5f, 1e6f, -1e6f, Float.NaN};
    CtSeriesWriter.write(
        Volume.ofFloats(g, "CT", values), dir, Options.builder().build(), ProgressListener.NONE);
    double[] hu = doubles(readWithPydicom(dir).get(0).getAsJsonObject().get("hu"));
    assertArrayEquals(new double[] {1, -2, 3, 32767, -32768, 0}, hu, 0);
  }

  @Test
  void uidsAreDeterministicValidAndDistinct() throws Exception {
    Volume volume = rampVolume(smallGeometry());
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    Path c = dir.resolve("c");
    List<Path> filesA =
        CtSeriesWriter.write(
            volume, a, Options.builder().uidSeed(42L).build(), ProgressListener.NONE);
    List<Path> filesB =
        CtSeriesWriter.write(
            volume, b, Options.builder().uidSeed("42").build(), ProgressListener.NONE);
    CtSeriesWriter.write(volume, c, Options.builder().uidSeed(43L).build(), ProgressListener.NONE);
    for (int k = 0; k < filesA.size(); k++) {
      assertArrayEquals(Files.readAllBytes(filesA.get(k)), Files.readAllBytes(filesB.get(k)));
    }
    JsonArray sa = readWithPydicom(a);
    JsonArray sc = readWithPydicom(c);
    Set<String> all = new HashSet<>();
    for (int k = 0; k < sa.size(); k++) {
      JsonObject x = sa.get(k).getAsJsonObject();
      JsonObject y = sc.get(k).getAsJsonObject();
      for (String key : List.of("study", "series", "frame", "sop")) {
        String uid = x.get(key).getAsString();
        assertTrue(uid.length() <= 64, uid);
        assertTrue(uid.matches("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))+"), uid);
        assertNotEquals(uid, y.get(key).getAsString(), key);
        all.add(uid);
        all.add(y.get(key).getAsString());
      }
    }
    // Per seed: one study, one series, one frame of reference and one UID per slice.
    assertEquals(2 * (3 + sa.size()), all.size());
    assertEquals(
        Options.builder().uidSeed(42L).build().seriesInstanceUid(),
        sa.get(0).getAsJsonObject().get("series").getAsString());
  }

  @Test
  void givenStudyUidGroupsSeriesIntoOneStudy() throws Exception {
    Volume volume = rampVolume(smallGeometry());
    String study = "1.2.826.0.1.3680043.10.999.1";
    CtSeriesWriter.write(
        volume,
        dir.resolve("s1"),
        Options.builder().uidSeed("x").studyInstanceUid(study).build(),
        ProgressListener.NONE);
    CtSeriesWriter.write(
        volume,
        dir.resolve("s2"),
        Options.builder().uidSeed("y").studyInstanceUid(study).seriesNumber(2).build(),
        ProgressListener.NONE);
    JsonObject s1 = readWithPydicom(dir.resolve("s1")).get(0).getAsJsonObject();
    JsonObject s2 = readWithPydicom(dir.resolve("s2")).get(0).getAsJsonObject();
    assertEquals(study, s1.get("study").getAsString());
    assertEquals(study, s2.get("study").getAsString());
    assertNotEquals(s1.get("series").getAsString(), s2.get("series").getAsString());
  }

  @Test
  void phaseSeriesCarryTemporalAttributes() throws Exception {
    Geometry g = smallGeometry();
    Volume4D phases =
        new Volume4D(
            List.of(rampVolume(g), rampVolume(g), rampVolume(g)), List.of("0%", "33%", "67%"));
    List<List<Path>> written =
        CtSeriesWriter.writePhases(
            phases,
            dir,
            Options.builder().seriesNumber(10).seriesDescription("4D CBCT").build(),
            ProgressListener.NONE);
    assertEquals(3, written.size());
    Set<String> series = new HashSet<>();
    for (int p = 0; p < 3; p++) {
      assertEquals(dir.resolve(String.format("phase%02d", p)), written.get(p).get(0).getParent());
      JsonArray slices = readWithPydicom(dir.resolve(String.format("phase%02d", p)));
      assertEquals(g.sizeZ(), slices.size());
      JsonObject s = slices.get(0).getAsJsonObject();
      assertEquals(String.valueOf(p + 1), s.get("temporalId").getAsString());
      assertEquals(String.valueOf(p + 1), s.get("temporalIndex").getAsString());
      assertEquals("3", s.get("temporalCount").getAsString());
      assertEquals(10 + p, s.get("seriesNumber").getAsInt());
      assertEquals(
          "4D CBCT " + phases.phaseLabels().get(p), s.get("seriesDescription").getAsString());
      assertEquals(Options.builder().build().studyInstanceUid(), s.get("study").getAsString());
      assertEquals(Options.builder().build().frameOfReferenceUid(), s.get("frame").getAsString());
      series.add(s.get("series").getAsString());
    }
    assertEquals(3, series.size());
    assertDciodvfyClean(written.get(1).get(0), true);

    Path single = dir.resolve("single");
    CtSeriesWriter.write(
        rampVolume(g),
        single,
        Options.builder()
            .temporalPosition(new TemporalPosition(4, 10, 360.5))
            .dateTime(LocalDateTime.of(2024, 5, 6, 7, 8, 9))
            .build(),
        ProgressListener.NONE);
    JsonObject s = readWithPydicom(single).get(0).getAsJsonObject();
    assertEquals("4", s.get("temporalId").getAsString());
    assertEquals("10", s.get("temporalCount").getAsString());
    assertEquals(360.5, s.get("triggerTime").getAsDouble(), 1e-12);
  }

  @Test
  void reportsProgressAndStopsWhenCancelled() throws Exception {
    Geometry g = Geometry.axisAligned(4, 4, 20, new double[] {1, 1, 1}, new double[] {0, 0, 0});
    AtomicInteger updates = new AtomicInteger();
    double[] last = {0};
    CtSeriesWriter.write(
        rampVolume(g),
        dir.resolve("ok"),
        Options.builder().build(),
        (fraction, message) -> {
          updates.incrementAndGet();
          synchronized (last) {
            last[0] = Math.max(last[0], fraction);
          }
        });
    assertEquals(20, updates.get());
    assertEquals(1.0, last[0], 0);

    Path cancelled = dir.resolve("cancelled");
    ProgressListener cancelling =
        new ProgressListener() {
          @Override
          public void update(double fraction, String message) {}

          @Override
          public boolean isCancelled() {
            return true;
          }
        };
    assertThrows(
        OperationCancelledException.class,
        () ->
            CtSeriesWriter.write(rampVolume(g), cancelled, Options.builder().build(), cancelling));
    try (Stream<Path> left = Files.list(cancelled)) {
      assertEquals(0, left.count());
    }
  }

  @Test
  void sourceImagesAreReferencedWithTheirFrames() throws Exception {
    Options base =
        Options.builder().uidSeed(7L).derived(true).derivationDescription("A test").build();
    Geometry g = smallGeometry();
    List<CtSeriesWriter.SourceImage> sources = new ArrayList<>();
    for (int k = 0; k < g.sizeZ(); k++) {
      sources.add(
          new CtSeriesWriter.SourceImage(
              base.studyInstanceUid(),
              "1.2.3",
              "1.2.840.10008.5.1.4.1.1.2.1",
              "1.2.3." + (k + 1),
              k + 1));
    }
    List<Path> files =
        CtSeriesWriter.write(
            rampVolume(g),
            dir,
            base.toBuilder().sourceImages(sources).build(),
            ProgressListener.NONE);
    for (int k = 0; k < g.sizeZ(); k++) {
      AttributeList list = new AttributeList();
      list.read(files.get(k).toString());
      AttributeList source =
          ((SequenceAttribute) list.get(TagFromName.SourceImageSequence))
              .getItem(0)
              .getAttributeList();
      assertEquals(
          "1.2.3." + (k + 1),
          Attribute.getSingleStringValueOrEmptyString(
              source, TagFromName.ReferencedSOPInstanceUID));
      assertEquals(
          k + 1,
          Attribute.getSingleIntegerValueOrDefault(source, TagFromName.ReferencedFrameNumber, 0));
      // the source is in the written study: referenced in ReferencedSeriesSequence
      AttributeList series =
          ((SequenceAttribute) list.get(TagFromName.ReferencedSeriesSequence))
              .getItem(0)
              .getAttributeList();
      assertEquals(
          "1.2.3",
          Attribute.getSingleStringValueOrEmptyString(series, TagFromName.SeriesInstanceUID));
      assertEquals(
          null,
          list.get(
              DicomDictionary.StandardDictionary.getTagFromName(
                  "StudiesContainingOtherReferencedInstancesSequence")));
      assertEquals(
          "A test",
          Attribute.getSingleStringValueOrEmptyString(list, TagFromName.DerivationDescription));
    }
    assertDciodvfyClean(files.get(0), false);
    Options tooFew = base.toBuilder().sourceImages(sources.subList(0, 3)).build();
    assertThrows(
        IllegalArgumentException.class,
        () ->
            CtSeriesWriter.write(rampVolume(g), dir.resolve("few"), tooFew, ProgressListener.NONE));
  }

  @Test
  void optionsRejectBadValues() {
    assertThrows(
        IllegalArgumentException.class, () -> Options.builder().studyInstanceUid("1.02.3"));
    assertThrows(
        IllegalArgumentException.class, () -> Options.builder().fileNamePattern("a/%d.dcm"));
    assertThrows(
        IllegalArgumentException.class, () -> Options.builder().fileNamePattern("same.dcm"));
    assertThrows(IllegalArgumentException.class, () -> Options.builder().uidSeed(""));
    assertThrows(IllegalArgumentException.class, () -> new TemporalPosition(0, 3, null));
    assertEquals("1.5", CtSeriesWriter.ds(1.5));
    assertEquals("0", CtSeriesWriter.ds(-0.0));
    assertTrue(CtSeriesWriter.ds(-123456.123456789012).length() <= 16);
  }

  private static List<String> strings(JsonElement e) {
    List<String> list = new ArrayList<>();
    e.getAsJsonArray().forEach(x -> list.add(x.getAsString()));
    return list;
  }
}
