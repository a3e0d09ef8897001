package org.voxelwise.imaging.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.voxelwise.imaging.dicom.Reference.loadOnly;
import static org.voxelwise.imaging.dicom.Reference.testFile;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;

/**
 * Multi-slice series made with pydicom from copies of CT_small.dcm (and MR_small.dcm): new
 * ImagePositionPatient, SOPInstanceUID, shuffled InstanceNumber (so that instance order is not
 * position order) and random file names. Pixel (0, 0) of each copy holds a marker stored value that
 * says which slice (and phase) it is.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SyntheticSeriesTest {
  private static final double X0 = -158.135803;
  private static final double Y0 = -179.035797;
  private static final double Z0 = -75.699997;
  private static final double SPACING = 2.5;
  private static final int INTERCEPT = -1024;

  @TempDir Path tmp;
  private final Random random = new Random(42);

  /** One copy of the source at z, marked {@code marker}, with instance number {@code instance}. */
  private static JsonObject slice(double z, int instance, int marker) {
    JsonObject o = new JsonObject();
    o.addProperty("file", UUID.randomUUID().toString().replace("-", ""));
    JsonArray position = new JsonArray();
    position.add(X0);
    position.add(Y0);
    position.add(z);
    o.add("position", position);
    o.addProperty("instance", instance);
    o.addProperty("marker", marker);
    return o;
  }

  /**
   * Slices at z0 + k·spacing for the given k, instance numbers a shuffle of 1..n, marker 1000+k.
   */
  private List<JsonObject> stack(int... ks) {
    List<Integer> instances = new ArrayList<>();
    for (int i = 1; i <= ks.length; i++) {
      instances.add(i);
    }
    do {
      Collections.shuffle(instances, random);
    } while (ks.length > 2 && isSorted(instances));
    List<JsonObject> slices = new ArrayList<>();
    for (int i = 0; i < ks.length; i++) {
      slices.add(slice(Z0 + SPACING * ks[i], instances.get(i), 1000 + ks[i]));
    }
    return slices;
  }

  private static boolean isSorted(List<Integer> values) {
    for (int i = 1; i < values.size(); i++) {
      if (values.get(i) < values.get(i - 1)) {
        return false;
      }
    }
    return true;
  }

  private static int[] range(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }

  /** Writes the slices as copies of {@code source} into a new folder. */
  private Path make(String source, List<JsonObject> slices) throws IOException {
    Path dir = Files.createTempDirectory(tmp, "series");
    JsonArray spec = new JsonArray();
    slices.forEach(spec::add);
    Path specFile = Files.createTempFile(tmp, "spec", ".json");
    Files.writeString(specFile, spec.toString());
    Reference.pythonOk("series", testFile(source).toString(), specFile.toString(), dir.toString());
    return dir;
  }

  private Path make(List<JsonObject> slices) throws IOException {
    return make("CT_small.dcm", slices);
  }

  private static void assertMarkers(Volume v, int... expectedStored) {
    for (int z = 0; z < expectedStored.length; z++) {
      assertEquals(expectedStored[z] + INTERCEPT, v.valueAt(0, 0, z), "marker of slice " + z);
    }
  }

  private static void assertWarning(LoadedSeries s, String... parts) {
    assertTrue(
        s.warnings().stream().anyMatch(w -> List.of(parts).stream().allMatch(w::contains)),
        "no warning with " + List.of(parts) + " in " + s.warnings());
  }

  @Test
  void slicesAreSortedByPositionWithTheirSpacing() throws Exception {
    Path dir = make(stack(range(6)));
    LoadedSeries s = loadOnly(dir);
    Geometry g = s.volume().geometry();
    assertEquals(6, g.sizeZ());
    assertEquals(SPACING, g.spacingMm()[2], 1e-4);
    assertEquals(Z0, g.originMm()[2], 1e-4);
    assertEquals(0, g.tiltDegrees(), 1e-6);
    assertMarkers(s.volume(), 1000, 1001, 1002, 1003, 1004, 1005);
    Reference.assertSameValues(Reference.stack(dir, tmp).values(), s.volume(), "sorted stack");
    assertTrue(s.warnings().isEmpty(), s.warnings().toString());
  }

  @Test
  void aMissingSliceIsAGapSayingWhere() throws Exception {
    LoadedSeries s = loadOnly(make(stack(0, 1, 2, 4, 5, 6)));
    assertEquals(6, s.volume().geometry().sizeZ());
    assertMarkers(s.volume(), 1000, 1001, 1002, 1004, 1005, 1006);
    assertWarning(s, "1 gap(s)", "between -70.70 and -65.70 mm", "about 1 slice(s) missing");
  }

  @Test
  void aDuplicatePositionIsLeftOutWithAWarning() throws Exception {
    List<JsonObject> slices = stack(range(5));
    JsonObject duplicate = slice(Z0 + 2 * SPACING, 6, 1002);
    slices.add(duplicate);
    LoadedSeries s = loadOnly(make(slices));
    assertEquals(5, s.volume().geometry().sizeZ());
    assertMarkers(s.volume(), 1000, 1001, 1002, 1003, 1004);
    assertWarning(s, "1 duplicate slice position(s)", "same position -70.70 mm");
  }

  @Test
  void gantryTiltIsReportedWithItsAngle() throws Exception {
    double tan = Math.tan(Math.toRadians(20));
    List<JsonObject> slices = stack(range(5));
    for (int k = 0; k < slices.size(); k++) {
      JsonArray p = slices.get(k).getAsJsonArray("position");
      double z = p.get(2).getAsDouble();
      p.set(1, new com.google.gson.JsonPrimitive(Y0 + (z - Z0) * tan));
    }
    LoadedSeries s = loadOnly(make(slices));
    Geometry g = s.volume().geometry();
    assertEquals(20, g.tiltDegrees(), 0.01);
    assertEquals(SPACING / Math.cos(Math.toRadians(20)), g.spacingMm()[2], 1e-3);
    assertMarkers(s.volume(), 1000, 1001, 1002, 1003, 1004);
    assertWarning(s, "gantry tilt of 20.00°");
  }

  @Test
  void aLocalizerIsLeftOut() throws Exception {
    List<JsonObject> slices = stack(range(4));
    JsonObject localizer = slice(Z0 + 1.3, 9, 1999);
    localizer.addProperty("localizer", true);
    slices.add(localizer);
    LoadedSeries s = loadOnly(make(slices));
    assertEquals(4, s.volume().geometry().sizeZ());
    assertMarkers(s.volume(), 1000, 1001, 1002, 1003);
    assertWarning(s, "1 localizer image(s) left out");
    assertTrue(
        s.warnings().stream().noneMatch(w -> w.contains("non-uniform")), s.warnings().toString());
  }

  @Test
  void anImageOfAnotherSizeIsLeftOut() throws Exception {
    List<JsonObject> slices = stack(range(4));
    JsonObject small = slice(Z0 + 4 * SPACING, 9, 1999);
    small.addProperty("size", 64);
    slices.add(small);
    LoadedSeries s = loadOnly(make(slices));
    assertEquals(4, s.volume().geometry().sizeZ());
    assertEquals(128, s.volume().geometry().sizeX());
    assertMarkers(s.volume(), 1000, 1001, 1002, 1003);
    assertWarning(
        s, "mixed image sizes", "left out 1 of size 64×64", small.get("file").getAsString());
  }

  @Test
  void twoSeriesInOneFolderAreKeptApart() throws Exception {
    List<JsonObject> slices = new ArrayList<>();
    for (JsonObject o : stack(0, 1, 2)) {
      o.addProperty("series", "1.2.826.0.1.3680043.9.7777.1");
      o.addProperty("seriesNumber", 1);
      slices.add(o);
    }
    for (JsonObject o : stack(0, 1, 2, 3)) {
      o.addProperty("series", "1.2.826.0.1.3680043.9.7777.2");
      o.addProperty("seriesNumber", 2);
      slices.add(o);
    }
    DicomIndex index = DicomScanner.scan(make(slices), ProgressListener.NONE);
    assertEquals(1, index.patients().size());
    assertEquals(1, index.patients().get(0).studies().size());
    List<DicomIndex.Series> series = index.allSeries();
    assertEquals(2, series.size());
    assertEquals("1.2.826.0.1.3680043.9.7777.1", series.get(0).seriesInstanceUid());
    assertEquals(3, series.get(0).instances().size());
    assertEquals(4, series.get(1).instances().size());
    assertEquals(
        3, SeriesLoader.load(series.get(0), ProgressListener.NONE).volume().geometry().sizeZ());
    assertEquals(
        4, SeriesLoader.load(series.get(1), ProgressListener.NONE).volume().geometry().sizeZ());
  }

  @Test
  void temporalPositionsAtRepeatedPositionsMakeA4dSeries() throws Exception {
    List<JsonObject> slices = new ArrayList<>();
    int instance = 12;
    for (int t = 1; t <= 3; t++) {
      for (int k = 0; k < 4; k++) {
        JsonObject o = slice(Z0 + SPACING * k, instance--, 100 * t + k);
        o.addProperty("temporal", t);
        slices.add(o);
      }
    }
    Collections.shuffle(slices, random);
    LoadedSeries s = loadOnly(make(slices));
    assertTrue(s.is4D());
    assertEquals(3, s.phases().phaseCount());
    assertEquals(List.of("phase 1", "phase 2", "phase 3"), s.phases().phaseLabels());
    for (int t = 1; t <= 3; t++) {
      Volume phase = s.phases().phases().get(t - 1);
      assertEquals(4, phase.geometry().sizeZ());
      assertEquals(SPACING, phase.geometry().spacingMm()[2], 1e-4);
      assertMarkers(phase, 100 * t, 100 * t + 1, 100 * t + 2, 100 * t + 3);
    }
    assertTrue(s.warnings().isEmpty(), s.warnings().toString());
  }

  @Test
  void oneSeriesPerPhaseIsGroupedIntoA4dStudy() throws Exception {
    List<JsonObject> slices = new ArrayList<>();
    int[] order = {3, 1, 2};
    for (int t : order) {
      for (JsonObject o : stack(range(4))) {
        o.addProperty("series", "1.2.826.0.1.3680043.9.7777.3" + t);
        o.addProperty("seriesNumber", 10 - t);
        o.addProperty("temporal", t);
        o.addProperty(
            "marker",
            100 * t
                + (int)
                    Math.round((o.getAsJsonArray("position").get(2).getAsDouble() - Z0) / SPACING));
        slices.add(o);
      }
    }
    DicomIndex index = DicomScanner.scan(make(slices), ProgressListener.NONE);
    DicomIndex.Study study = index.patients().get(0).studies().get(0);
    assertEquals(3, study.series().size());
    List<List<DicomIndex.Series>> groups = PhaseGrouping.phaseSeriesGroups(study);
    assertEquals(1, groups.size());
    List<DicomIndex.Series> group = groups.get(0);
    assertEquals(
        List.of(
            "1.2.826.0.1.3680043.9.7777.31",
            "1.2.826.0.1.3680043.9.7777.32",
            "1.2.826.0.1.3680043.9.7777.33"),
        group.stream().map(DicomIndex.Series::seriesInstanceUid).toList());
    LoadedSeries s = SeriesLoader.loadPhases(group, ProgressListener.NONE);
    assertEquals(3, s.phases().phaseCount());
    for (int t = 1; t <= 3; t++) {
      assertMarkers(s.phases().phases().get(t - 1), 100 * t, 100 * t + 1, 100 * t + 2, 100 * t + 3);
    }
  }

  @Test
  void aSliceWithTruncatedPixelDataIsAWarningNamingTheFile() throws Exception {
    Path dir = make(stack(range(4)));
    Path victim;
    try (var files = Files.list(dir)) {
      victim = files.sorted().findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(victim);
    Files.write(victim, java.util.Arrays.copyOf(bytes, bytes.length - 1000));
    LoadedSeries s = loadOnly(dir);
    assertEquals(4, s.volume().geometry().sizeZ());
    assertWarning(s, victim.toString(), "pixel data truncated", "left blank");
  }

  @Test
  void anMrSeriesLoadsWithModalityMr() throws Exception {
    List<JsonObject> slices = new ArrayList<>();
    for (int k = 0; k < 3; k++) {
      JsonObject o = slice(6.6406 + 0.8 * k, 3 - k, 500 + k);
      JsonArray p = o.getAsJsonArray("position");
      p.set(0, new com.google.gson.JsonPrimitive(-83.9063));
      p.set(1, new com.google.gson.JsonPrimitive(-91.2));
      slices.add(o);
    }
    LoadedSeries s = loadOnly(make("MR_small.dcm", slices));
    Volume v = s.volume();
    assertEquals("MR", v.modality());
    assertEquals(3, v.geometry().sizeZ());
    assertEquals(0.8, v.geometry().spacingMm()[2], 1e-4);
    for (int z = 0; z < 3; z++) {
      assertEquals(500 + z, v.valueAt(0, 0, z), "MR values are stored values (no rescale)");
    }
    assertFalse(s.is4D());
    assertTrue(s.warnings().isEmpty(), s.warnings().toString());
  }
}
