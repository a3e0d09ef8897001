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
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxelwise.imaging.progress.OperationCancelledException;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.volume.Volume;
import org.voxelwise.imaging.volume.Volume4D;

/**
 * The corrected phases of a simulated 4D study written as a derived DICOM 4D study: what dciodvfy
 * says, what pydicom reads, what our importer reads back, and where the references point.
 */
class DerivedPhasesWriterTest {
  private static final String PYTHON = "/usr/bin/python3";

  /** Prints, for every DICOM file under a folder, the attributes the test checks, as JSON. */
  private static final String READER =
      String.join(
          "\n",
          "import json, os, sys",
          "import pydicom",
          "out = []",
          "for root, dirs, files in sorted(os.walk(sys.argv[1])):",
          "    for name in sorted(files):",
          "        ds = pydicom.dcmread(os.path.join(root, name))",
          "        hu = ds.pixel_array.astype('float64') * float(ds.RescaleSlope) + float(ds.RescaleIntercept)",
          "        src = ds.SourceImageSequence[0]",
          "        other = ds.StudiesContainingOtherReferencedInstancesSequence[0]",
          "        series = other.ReferencedSeriesSequence[0]",
          "        inst = series.ReferencedInstanceSequence[0]",
          "        out.append({",
          "            'file': os.path.join(root, name),",
          "            'sopClass': ds.SOPClassUID, 'sop': ds.SOPInstanceUID,",
          "            'study': ds.StudyInstanceUID, 'series': ds.SeriesInstanceUID,",
          "            'frame': ds.FrameOfReferenceUID,",
          "            'patientName': str(ds.PatientName), 'patientId': ds.PatientID,",
          "            'imageType': list(ds.ImageType),",
          "            'derivation': ds.DerivationDescription,",
          "            'seriesDescription': ds.SeriesDescription,",
          "            'temporalIndex': int(ds.TemporalPositionIndex),",
          "            'temporalCount': int(ds.NumberOfTemporalPositions),",
          "            'position': [float(v) for v in ds.ImagePositionPatient],",
          "            'sourceClass': src.ReferencedSOPClassUID, 'sourceSop': src.ReferencedSOPInstanceUID,",
          "            'purpose': src.PurposeOfReferenceCodeSequence[0].CodeValue,",
          "            'refStudy': other.StudyInstanceUID, 'refSeries': series.SeriesInstanceUID,",
          "            'refSop': inst.ReferencedSOPInstanceUID,",
          "            'hu': hu.flatten().tolist(),",
          "        })",
          "print(json.dumps(out, default=str))");

  @TempDir Path dir;

  private static final DerivedPhasesWriter.Derivation DERIVATION =
      new DerivedPhasesWriter.Derivation(
          "RSTAR4D",
          "Streaks reduced by RSTAR4D (test-model 0.0.1)",
          LocalDateTime.of(2026, 11, 25, 1, 30));

  private Cbct4dStudy source() throws Exception {
    Path src = Cbct4dFixture.writeStudy(dir.resolve("source"));
    return Cbct4dStudy.assemble(
        src, DicomScanner.scan(src, ProgressListener.NONE), ProgressListener.NONE);
  }

  /** A float transform of the phases, as a model's output would be (not integral HU). */
  private static Volume4D corrected(Volume4D phases) {
    List<Volume> out = new ArrayList<>();
    for (Volume v : phases.phases()) {
      float[] f = v.toFloatArray();
      for (int i = 0; i < f.length; i++) {
        f[i] = f[i] * 0.75f + 12.3f;
      }
      out.add(Volume.ofFloats(v.geometry(), "CT", f));
    }
    return new Volume4D(out, phases.phaseLabels());
  }

  @Test
  void writesANewStudyThatReadsBackAsTheSamePhasesAndPointsAtTheSources() throws Exception {
    Cbct4dStudy source = source();
    Volume4D corrected = corrected(source.phases());
    Path out = dir.resolve("out/dicom");
    DerivedPhasesWriter.Written written =
        DerivedPhasesWriter.write(source, corrected, out, DERIVATION, ProgressListener.NONE);

    assertEquals(10, written.series().size());
    assertEquals(40, Cbct4dFixture.files(out).size());
    try (Stream<Path> siblings = Files.list(out.getParent())) {
      assertEquals(List.of(out), siblings.toList(), "no temporary folder left");
    }

    // Our importer: one new study of 10 phases on the source's grid, values rounded to HU.
    DicomIndex index = DicomScanner.scan(out, ProgressListener.NONE);
    assertEquals(1, index.patients().size());
    assertEquals("VW-CBCT4D-3", index.patients().get(0).patientId());
    DicomIndex.Study study = index.patients().get(0).studies().get(0);
    assertEquals(written.studyInstanceUid(), study.studyInstanceUid());
    assertNotEquals(source.source().studyInstanceUid(), study.studyInstanceUid());
    List<List<DicomIndex.Series>> groups = PhaseGrouping.phaseSeriesGroups(study);
    assertEquals(1, groups.size());
    assertEquals(10, groups.get(0).size());
    LoadedSeries back = SeriesLoader.loadPhases(groups.get(0), ProgressListener.NONE);
    assertEquals(List.of(), back.warnings());
    assertEquals(source.phases().phaseLabels(), back.phases().phaseLabels());
    for (int p = 0; p < 10; p++) {
      assertEquals(
          written.series().get(p).seriesInstanceUid(), groups.get(0).get(p).seriesInstanceUid());
      assertEquals(out.resolve(String.format("phase%02d", p)), written.series().get(p).folder());
      Volume read = back.phases().phases().get(p);
      Volume expected = corrected.phases().get(p);
      assertTrue(read.geometry().sameGrid(expected.geometry(), 1e-4));
      for (int i = 0; i < expected.geometry().voxelCount(); i++) {
        assertEquals(
            Math.round(expected.valueAt(i)), read.valueAt(i), 0, "phase " + p + " voxel " + i);
      }
    }

    // pydicom: the attributes and the references, checked against the source files.
    Map<String, AttributeList> sources = new HashMap<>();
    for (Path f : Cbct4dFixture.files(dir.resolve("source/phases"))) {
      AttributeList list = Cbct4dFixture.read(f);
      sources.put(
          Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPInstanceUID), list);
    }
    JsonArray files = readWithPydicom(out);
    assertEquals(40, files.size());
    Set<String> newUids = new HashSet<>();
    for (JsonElement e : files) {
      JsonObject f = e.getAsJsonObject();
      String what = f.get("file").getAsString();
      assertEquals("1.2.840.10008.5.1.4.1.1.2", f.get("sopClass").getAsString());
      assertTrue(newUids.add(f.get("sop").getAsString()), "SOP instance UIDs are distinct");
      assertFalse(sources.containsKey(f.get("sop").getAsString()), "new SOP instance UIDs");
      assertEquals(written.studyInstanceUid(), f.get("study").getAsString());
      assertEquals(source.source().frameOfReferenceUid(), f.get("frame").getAsString());
      assertEquals("Voxelwise^Cbct4dPhantom", f.get("patientName").getAsString());
      assertEquals(List.of("DERIVED", "SECONDARY", "AXIAL"), strings(f.get("imageType")));
      assertEquals(DERIVATION.derivationDescription(), f.get("derivation").getAsString());
      assertEquals(10, f.get("temporalCount").getAsInt());
      AttributeList referenced = sources.get(f.get("sourceSop").getAsString());
      assertTrue(referenced != null, what + " refers to no source image");
      assertEquals(
          Attribute.getSingleStringValueOrEmptyString(referenced, TagFromName.SOPClassUID),
          f.get("sourceClass").getAsString());
      assertEquals("121322", f.get("purpose").getAsString());
      assertEquals(
          Attribute.getSingleIntegerValueOrDefault(
              referenced, TagFromName.TemporalPositionIndex, 0),
          f.get("temporalIndex").getAsInt(),
          what + ": the source is of the same phase");
      assertArrayEquals(
          Attribute.getDoubleValues(referenced, TagFromName.ImagePositionPatient),
          doubles(f.get("position")),
          1e-6,
          what + ": the source is the same slice");
      assertEquals(
          "4D CBCT " + (f.get("temporalIndex").getAsInt() - 1) * 10 + "% RSTAR4D",
          f.get("seriesDescription").getAsString());
      assertEquals(source.source().studyInstanceUid(), f.get("refStudy").getAsString());
      assertEquals(
          Attribute.getSingleStringValueOrEmptyString(referenced, TagFromName.SeriesInstanceUID),
          f.get("refSeries").getAsString());
      assertEquals(f.get("sourceSop").getAsString(), f.get("refSop").getAsString());
      assertEquals(64 * 64, f.getAsJsonArray("hu").size());
    }

    // dciodvfy: no errors; the warnings are only those about the temporal attributes.
    Set<String> warnings = new TreeSet<>();
    for (Path f : Cbct4dFixture.files(out)) {
      List<String> lines = run("/usr/bin/dciodvfy", f.toString());
      assertEquals("0", lines.get(0), () -> "dciodvfy " + f + ": " + lines);
      for (String line : lines.subList(1, lines.size())) {
        assertFalse(line.contains("Error"), () -> "dciodvfy " + f + ": " + lines);
        if (line.startsWith("Warning")) {
          warnings.add(line.strip());
        }
      }
    }
    assertEquals(
        new TreeSet<>(
            List.of(
                "Warning - Attribute is not present in standard DICOM IOD - (0x0020,0x0100) IS"
                    + " Temporal Position Identifier",
                "Warning - Attribute is not present in standard DICOM IOD - (0x0020,0x0105) IS"
                    + " Number of Temporal Positions",
                "Warning - Attribute is not present in standard DICOM IOD - (0x0020,0x9128) UL"
                    + " Temporal Position Index",
                "Warning - Dicom dataset contains attributes not present in standard DICOM IOD -"
                    + " this is a Standard Extended SOP Class")),
        warnings);
  }

  @Test
  void cancellingLeavesNothingBehind() throws Exception {
    Cbct4dStudy source = source();
    Path out = dir.resolve("out/dicom");
    AtomicInteger updates = new AtomicInteger();
    ProgressListener cancelSoon =
        new ProgressListener() {
          @Override
          public void update(double fraction, String message) {
            updates.incrementAndGet();
          }

          @Override
          public boolean isCancelled() {
            return updates.get() >= 13;
          }
        };
    assertThrows(
        OperationCancelledException.class,
        () ->
            DerivedPhasesWriter.write(
                source, corrected(source.phases()), out, DERIVATION, cancelSoon));
    try (Stream<Path> left = Files.list(out.getParent())) {
      assertEquals(List.of(), left.toList());
    }
  }

  @Test
  void anEarlierOutputIsReplacedByAStudyWithNewUids() throws Exception {
    Cbct4dStudy source = source();
    Path out = dir.resolve("out/dicom");
    Volume4D corrected = corrected(source.phases());
    DerivedPhasesWriter.Written first =
        DerivedPhasesWriter.write(source, corrected, out, DERIVATION, ProgressListener.NONE);
    DerivedPhasesWriter.Written second =
        DerivedPhasesWriter.write(source, corrected, out, DERIVATION, ProgressListener.NONE);
    assertNotEquals(first.studyInstanceUid(), second.studyInstanceUid());
    assertNotEquals(
        first.series().get(0).seriesInstanceUid(), second.series().get(0).seriesInstanceUid());
    assertEquals(40, Cbct4dFixture.files(out).size());
    try (Stream<Path> siblings = Files.list(out.getParent())) {
      assertEquals(List.of(out), siblings.toList());
    }
    DicomIndex index = DicomScanner.scan(out, ProgressListener.NONE);
    assertEquals(
        second.studyInstanceUid(), index.patients().get(0).studies().get(0).studyInstanceUid());
  }

  @Test
  void phasesOfAnotherCountAreAProgrammingError() throws Exception {
    Cbct4dStudy source = source();
    Volume4D three = Cbct4dFixture.firstPhases(3);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            DerivedPhasesWriter.write(
                source, three, dir.resolve("x"), DERIVATION, ProgressListener.NONE));
  }

  private static List<String> strings(JsonElement e) {
    List<String> s = new ArrayList<>();
    e.getAsJsonArray().forEach(x -> s.add(x.getAsString()));
    return s;
  }

  private static double[] doubles(JsonElement e) {
    JsonArray a = e.getAsJsonArray();
    double[] d = new double[a.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = a.get(i).getAsDouble();
    }
    return d;
  }

  /** Runs a command; the first line is its exit status, then its output lines. */
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
    Path script = Files.createTempFile("read-derived", ".py");
    try {
      Files.writeString(script, READER);
      List<String> out = run(PYTHON, script.toString(), folder.toString());
      assertEquals("0", out.get(0), () -> "pydicom failed: " + out);
      return JsonParser.parseString(out.get(out.size() - 1)).getAsJsonArray();
    } finally {
      Files.delete(script);
    }
  }
}
