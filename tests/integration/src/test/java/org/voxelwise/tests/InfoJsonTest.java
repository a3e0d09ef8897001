package org.voxelwise.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxelwise.imaging.dicom.CtSeriesWriter;
import org.voxelwise.imaging.nifti.NiftiReader;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;
import org.voxelwise.imaging.volume.Volume4D;

/** The shape of {@code info --json}: keys, several series, 4D studies and 4D series. */
class InfoJsonTest {
  /** The keys of each series that ARCHITECTURE.md lists. */
  private static final Set<String> ARCHITECTURE_KEYS =
      Set.of(
          "seriesInstanceUid",
          "modality",
          "description",
          "rows",
          "columns",
          "slices",
          "phases",
          "spacing",
          "origin",
          "warnings",
          "stats");

  /** The identity keys that InfoCommand's documentation adds for DICOM series. */
  private static final Set<String> IDENTITY_KEYS =
      Set.of("studyInstanceUid", "patientId", "seriesNumber", "files");

  @TempDir Path dir;

  private static Geometry grid(int nz) {
    return Geometry.axisAligned(
        40, 32, nz, new double[] {0.9, 0.9, 2}, new double[] {-18, -14.4, 30});
  }

  @Test
  void keysOfTheReportAndOfEachSeries() throws Exception {
    Volume v = Studies.ct(grid(6), 1);
    Studies.write(v, dir, "keys", 4);
    JsonObject info = Cli.ok("info", dir, "--json").json();

    assertEquals(
        List.of("path", "filesExamined", "nonDicomFiles", "warnings", "series", "phaseGroups"),
        new ArrayList<>(info.keySet()));
    JsonObject s = info.getAsJsonArray("series").get(0).getAsJsonObject();
    assertTrue(s.keySet().containsAll(ARCHITECTURE_KEYS), s::toString);
    Set<String> all = new TreeSet<>(ARCHITECTURE_KEYS);
    all.addAll(IDENTITY_KEYS);
    assertEquals(all, new TreeSet<>(s.keySet()), "no undocumented keys");

    assertEquals(
        Studies.options("keys", 4).seriesInstanceUid(), s.get("seriesInstanceUid").getAsString());
    assertEquals("CT", s.get("modality").getAsString());
    assertEquals("series 4", s.get("description").getAsString());
    assertEquals(4, s.get("seriesNumber").getAsInt());
    assertEquals(6, s.get("files").getAsInt());
    assertEquals(32, s.get("rows").getAsInt());
    assertEquals(40, s.get("columns").getAsInt());
    assertEquals(6, s.get("slices").getAsInt());
    assertEquals(1, s.get("phases").getAsInt());
    assertEquals(3, s.getAsJsonArray("spacing").size());
    assertEquals(3, s.getAsJsonArray("origin").size());
    assertTrue(s.get("warnings").isJsonArray());
    JsonObject stats = s.getAsJsonObject("stats");
    assertEquals(Set.of("min", "max", "mean"), stats.keySet());
    for (JsonElement e : stats.asMap().values()) {
      assertTrue(e.getAsJsonPrimitive().isNumber(), stats::toString);
    }
    assertEquals(0, info.getAsJsonArray("phaseGroups").size());

    String text = Cli.ok("info", dir).out();
    assertTrue(text.contains("40×32×6 voxels"), text);
  }

  @Test
  void folderWithTwoSeriesListsBoth() throws Exception {
    Studies.write(Studies.ct(grid(5), 1), dir.resolve("a"), "two", 1);
    Studies.write(Studies.ct(grid(7), 2), dir.resolve("b"), "two", 2);
    JsonObject info = Cli.ok("info", dir, "--json").json();
    JsonArray series = info.getAsJsonArray("series");
    assertEquals(2, series.size(), info::toString);
    Set<String> uids = new TreeSet<>();
    Set<Integer> slices = new TreeSet<>();
    for (JsonElement e : series) {
      uids.add(e.getAsJsonObject().get("seriesInstanceUid").getAsString());
      slices.add(e.getAsJsonObject().get("slices").getAsInt());
    }
    assertEquals(
        new TreeSet<>(
            Set.of(
                Studies.options("two", 1).seriesInstanceUid(),
                Studies.options("two", 2).seriesInstanceUid())),
        uids);
    assertEquals(Set.of(5, 7), slices);
    assertEquals(12, info.get("filesExamined").getAsInt());
  }

  @Test
  void phaseStudyAppearsInPhaseGroups() throws Exception {
    Volume4D phases = phases(3);
    CtSeriesWriter.Options options = Studies.options("phases", 10);
    CtSeriesWriter.writePhases(phases, dir, options, ProgressListener.NONE);
    JsonObject info = Cli.ok("info", dir, "--json").json();
    assertEquals(3, info.getAsJsonArray("series").size(), info::toString);
    JsonArray groups = info.getAsJsonArray("phaseGroups");
    assertEquals(1, groups.size(), info::toString);
    List<String> expected = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      expected.add(
          options.toBuilder()
              .seriesNumber(10 + p)
              .temporalPosition(new CtSeriesWriter.TemporalPosition(p + 1, 3, null))
              .build()
              .seriesInstanceUid());
    }
    List<String> actual = new ArrayList<>();
    groups.get(0).getAsJsonArray().forEach(e -> actual.add(e.getAsString()));
    assertEquals(expected, actual);
  }

  /**
   * One series whose slices carry three temporal positions at repeated locations: written per
   * phase, then given one series UID and number.
   */
  @Test
  void singleSeries4dReportsItsPhasesAndConvertsOnePhase() throws Exception {
    Volume4D phases = phases(3);
    Path study = dir.resolve("study");
    List<List<Path>> files =
        CtSeriesWriter.writePhases(
            phases, study, Studies.options("single4d", 1), ProgressListener.NONE);
    String uid = CtSeriesWriter.uidFromSeed("single4d", "the one series");
    for (List<Path> phase : files) {
      for (Path f : phase) {
        AttributeList list = new AttributeList();
        list.read(f.toString());
        Attribute seriesUid = new UniqueIdentifierAttribute(TagFromName.SeriesInstanceUID);
        seriesUid.addValue(uid);
        list.put(seriesUid);
        Attribute number = new IntegerStringAttribute(TagFromName.SeriesNumber);
        number.addValue(1);
        list.put(number);
        list.write(f.toString(), TransferSyntax.ExplicitVRLittleEndian, true, true);
      }
    }

    JsonObject info = Cli.ok("info", study, "--json").json();
    JsonArray series = info.getAsJsonArray("series");
    assertEquals(1, series.size(), info::toString);
    JsonObject s = series.get(0).getAsJsonObject();
    assertEquals(uid, s.get("seriesInstanceUid").getAsString());
    assertEquals(3, s.get("phases").getAsInt());
    assertEquals(4, s.get("slices").getAsInt());
    assertEquals(12, s.get("files").getAsInt());

    Path out = dir.resolve("phase.nii");
    Cli.Result noPhase = Cli.run("convert", study, "--out", out);
    Cli.assertBadInput(noPhase, study, "--phase");
    Cli.ok("convert", study, "--out", out, "--phase", 2);
    Volume read = NiftiReader.read(out);
    Volume second = phases.phases().get(1);
    assertTrue(read.geometry().sameGrid(second.geometry(), 1e-4), read.geometry().toString());
    assertEquals(Studies.sha256OfFloats(second), Studies.sha256OfFloats(read));
  }

  private static Volume4D phases(int count) {
    List<Volume> volumes = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (int p = 0; p < count; p++) {
      volumes.add(Studies.ct(grid(4), 100 + p));
      labels.add("phase " + (p + 1));
    }
    return new Volume4D(volumes, labels);
  }
}
