package org.voxelwise.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxelwise.imaging.dicom.DicomScanner;
import org.voxelwise.imaging.dicom.SegmentationReader;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.simulate.AbdominalPhantom;
import org.voxelwise.imaging.simulate.AbdominalPhantom.Parameters;
import org.voxelwise.imaging.simulate.AbdominalPhantom.Study;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.LiverTumorLabels;
import org.voxelwise.imaging.volume.Volume;

/**
 * {@code simulate ct}: a deterministic abdominal study (CT, labels, SEG, case) whose files read
 * back exactly.
 */
class SimulateCtTest {
  @TempDir Path dir;

  @Test
  void writesCtLabelsAndCaseThatReadBackExactly() throws Exception {
    Path first = dir.resolve("first");
    Path second = dir.resolve("second");
    Object[] grid = {"--size", "80x64x24", "--spacing", "4.5x5x10"};
    Cli.Result r =
        Cli.ok("simulate", "ct", "--seed", 11, "--out", first, grid[0], grid[1], grid[2], grid[3]);
    assertTrue(r.err().contains("Wrote 24 DICOM files"), r::toString);
    Cli.ok("simulate", "ct", "--seed", 11, "--out", second, grid[0], grid[1], grid[2], grid[3]);
    List<Path> files = Studies.files(first);
    assertEquals(27, files.size(), files::toString);
    for (Path f : files) {
      assertArrayEquals(
          Files.readAllBytes(f),
          Files.readAllBytes(second.resolve(first.relativize(f))),
          f::toString);
    }

    Study study =
        AbdominalPhantom.generate(
            Parameters.defaults().withSize(80, 64, 24).withSpacing(new double[] {4.5, 5, 10}), 11);
    Volume ct = study.ct();
    Geometry g = ct.geometry();
    JsonObject info = Cli.ok("info", first.resolve("ct"), "--json").json();
    JsonObject s = info.getAsJsonArray("series").get(0).getAsJsonObject();
    assertEquals(24, s.get("slices").getAsInt());
    assertEquals(64, s.get("rows").getAsInt());
    assertEquals(80, s.get("columns").getAsInt());
    Studies.assertVector(g.spacingMm(), s.getAsJsonArray("spacing"), 1e-9, "spacing");
    Studies.assertVector(g.originMm(), s.getAsJsonArray("origin"), 1e-9, "origin");
    Volume.Statistics stats = ct.statistics();
    JsonObject st = s.getAsJsonObject("stats");
    assertEquals(stats.min(), st.get("min").getAsDouble());
    assertEquals(stats.max(), st.get("max").getAsDouble());
    assertEquals(stats.mean(), st.get("mean").getAsDouble(), 1e-9);

    Path labels = first.resolve("labels.nii.gz");
    JsonObject nib = Nibabel.describe(labels, List.of(new int[] {0, 0, 0}));
    assertEquals("uint8", nib.get("dtype").getAsString());
    JsonArray shape = nib.getAsJsonArray("shape");
    assertEquals(80, shape.get(0).getAsInt());
    assertEquals(24, shape.get(2).getAsInt());
    double sum = 0;
    for (byte b : study.labels().values()) {
      sum += b;
    }
    assertEquals(sum, nib.get("sum").getAsDouble());
    JsonArray affine = nib.getAsJsonArray("affine");
    assertEquals(-g.originMm()[0], affine.get(0).getAsJsonArray().get(3).getAsDouble(), 1e-4);

    // the ground truth as a DICOM SEG of the series: valid, and the same labels
    Path seg = first.resolve("seg.dcm");
    assertEquals(List.of(), Dciodvfy.complaints(seg, "Segmentation"), "dciodvfy");
    SegmentationReader.Overlay overlay =
        SegmentationReader.read(
            seg,
            DicomScanner.scan(first.resolve("ct"), ProgressListener.NONE),
            ProgressListener.NONE);
    assertArrayEquals(study.labels().values(), overlay.labels().values());
    assertEquals(LiverTumorLabels.TABLE, overlay.labels().table());

    JsonObject description =
        JsonParser.parseString(Files.readString(first.resolve("case.json"))).getAsJsonObject();
    assertEquals(11, description.get("seed").getAsLong());
    assertEquals(
        study.description().phase().name(), description.get("contrastPhase").getAsString());
    assertEquals(
        study.description().liverVolumeMl(), description.get("liverVolumeMl").getAsDouble(), 0.05);
    assertEquals(study.description().tumors().size(), description.getAsJsonArray("tumors").size());
  }

  @Test
  void badSizeIsAUsageError() {
    Cli.Result r = Cli.run("simulate", "ct", "--seed", 1, "--out", dir, "--size", "10x10");
    assertEquals(2, r.exitCode(), r::toString);
    assertTrue(r.err().contains("--size"), r::toString);
    Cli.Result s = Cli.run("simulate", "ct", "--seed", 1, "--out", dir, "--spacing", "1x0x1");
    assertEquals(2, s.exitCode(), s::toString);
  }
}
