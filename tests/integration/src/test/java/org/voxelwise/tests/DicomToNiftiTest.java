package org.voxelwise.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;

/**
 * A DICOM series scrambled on disk goes through {@code info --json} and {@code convert} and comes
 * out in nibabel with the same values and the expected RAS affine.
 */
class DicomToNiftiTest {
  @TempDir Path dir;

  @Test
  void fullSizeSeriesWithScrambledFileNames() throws Exception {
    Geometry g =
        Geometry.axisAligned(
            512,
            512,
            300,
            new double[] {0.703125, 0.703125, 1.25},
            new double[] {-180.5, -203.25, 97.5});
    checkSeries(Studies.ct(g, 11), "case.nii.gz", 1);
  }

  @Test
  void obliqueSeries() throws Exception {
    Geometry g =
        Studies.oblique(
            70, 52, 23, new double[] {0.8, 0.65, 2.5}, new double[] {-12.3, 45.6, -78.9});
    checkSeries(Studies.ct(g, 12), "oblique.nii", 2);
  }

  private void checkSeries(Volume expected, String outName, long seed) throws Exception {
    Geometry g = expected.geometry();
    Path written = dir.resolve("written");
    Path study = dir.resolve("study");
    Studies.scramble(Studies.write(expected, written, "e2e-" + seed, 3), study, seed);

    JsonObject info = Cli.ok("info", study, "--json").json();
    assertEquals(g.sizeZ(), info.get("filesExamined").getAsInt());
    JsonArray series = info.getAsJsonArray("series");
    assertEquals(1, series.size(), info::toString);
    JsonObject s = series.get(0).getAsJsonObject();
    assertEquals(g.sizeZ(), s.get("slices").getAsInt());
    assertEquals(g.sizeY(), s.get("rows").getAsInt());
    assertEquals(g.sizeX(), s.get("columns").getAsInt());
    assertEquals(1, s.get("phases").getAsInt());
    assertEquals(0, s.getAsJsonArray("warnings").size(), s::toString);
    Studies.assertVector(g.spacingMm(), s.getAsJsonArray("spacing"), 1e-6, "spacing");
    Studies.assertVector(g.originMm(), s.getAsJsonArray("origin"), 1e-6, "origin");
    Volume.Statistics stats = expected.statistics();
    JsonObject st = s.getAsJsonObject("stats");
    assertEquals(stats.min(), st.get("min").getAsDouble());
    assertEquals(stats.max(), st.get("max").getAsDouble());
    assertEquals(stats.mean(), st.get("mean").getAsDouble(), 1e-9);

    Path out = dir.resolve("out").resolve(outName);
    Files.createDirectories(out.getParent());
    Cli.ok("convert", study, "--out", out);
    assertEquals(List.of(out), Studies.files(out.getParent()), "only the output file");

    Random random = new Random(seed);
    List<int[]> points = new ArrayList<>();
    for (int n = 0; n < 300; n++) {
      points.add(
          new int[] {
            random.nextInt(g.sizeX()), random.nextInt(g.sizeY()), random.nextInt(g.sizeZ())
          });
    }
    points.add(new int[] {0, 0, 0});
    points.add(new int[] {g.sizeX() - 1, g.sizeY() - 1, g.sizeZ() - 1});
    JsonObject nib = Nibabel.describe(out, points);

    Studies.assertVector(
        new double[] {g.sizeX(), g.sizeY(), g.sizeZ()}, nib.getAsJsonArray("shape"), 0, "shape");
    assertEquals("int16", nib.get("dtype").getAsString());
    assertEquals(Studies.sum(expected), nib.get("sum").getAsDouble());
    JsonArray samples = nib.getAsJsonArray("samples");
    for (int n = 0; n < points.size(); n++) {
      int[] p = points.get(n);
      assertEquals(
          expected.valueAt(p[0], p[1], p[2]),
          samples.get(n).getAsDouble(),
          "voxel " + p[0] + "," + p[1] + "," + p[2]);
    }
    assertEquals(Studies.sha256OfFloats(expected), nib.get("sha256").getAsString(), "all voxels");
    double[][] affine = Studies.expectedRasAffine(g);
    Studies.assertAffine(affine, nib.getAsJsonArray("affine"), 1e-4);
    Studies.assertAffine(affine, nib.getAsJsonArray("qform"), 1e-4);
    assertEquals(1, nib.get("sformCode").getAsInt());
    assertEquals(1, nib.get("qformCode").getAsInt());
    assertTrue(Files.size(out) > 0);
  }
}
