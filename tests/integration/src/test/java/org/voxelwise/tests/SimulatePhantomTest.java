package org.voxelwise.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxelwise.imaging.nifti.NiftiReader;
import org.voxelwise.imaging.simulate.CalibrationPhantom;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;

/** {@code simulate phantom}: deterministic output that reads back exactly. */
class SimulatePhantomTest {
  @TempDir Path dir;

  @Test
  void sameSeedGivesIdenticalFilesThatReadBackExactly() throws Exception {
    Path first = dir.resolve("first");
    Path second = dir.resolve("second");
    Cli.ok("simulate", "phantom", "--seed", 3, "--out", first);
    Cli.ok("simulate", "phantom", "--seed", 3, "--out", second);
    List<Path> files = Studies.files(first);
    assertEquals(CalibrationPhantom.DEFAULT_SIZE_Z, files.size());
    assertEquals(
        files.stream().map(first::relativize).toList(),
        Studies.files(second).stream().map(second::relativize).toList());
    for (Path f : files) {
      assertArrayEquals(
          Files.readAllBytes(f),
          Files.readAllBytes(second.resolve(first.relativize(f))),
          f::toString);
    }

    Volume phantom = CalibrationPhantom.createDefault(3);
    Geometry g = phantom.geometry();
    JsonObject info = Cli.ok("info", first, "--json").json();
    JsonArray series = info.getAsJsonArray("series");
    assertEquals(1, series.size(), info::toString);
    JsonObject s = series.get(0).getAsJsonObject();
    assertEquals(g.sizeZ(), s.get("slices").getAsInt());
    assertEquals(g.sizeY(), s.get("rows").getAsInt());
    assertEquals(g.sizeX(), s.get("columns").getAsInt());
    assertEquals("CT", s.get("modality").getAsString());
    Studies.assertVector(g.spacingMm(), s.getAsJsonArray("spacing"), 1e-9, "spacing");
    Studies.assertVector(g.originMm(), s.getAsJsonArray("origin"), 1e-9, "origin");
    Volume.Statistics stats = phantom.statistics();
    JsonObject st = s.getAsJsonObject("stats");
    assertEquals(stats.min(), st.get("min").getAsDouble());
    assertEquals(stats.max(), st.get("max").getAsDouble());
    assertEquals(stats.mean(), st.get("mean").getAsDouble(), 1e-9);

    Path nifti = dir.resolve("phantom.nii");
    Cli.ok("convert", first, "--out", nifti);
    Volume loaded = NiftiReader.read(nifti);
    assertTrue(loaded.geometry().sameGrid(g, 1e-4), loaded.geometry().toString());
    assertTrue(loaded.isShort());
    assertArrayEquals(phantom.shortValues(), loaded.shortValues(), "voxel for voxel");

    Cli.Result other = Cli.ok("simulate", "phantom", "--seed", 4, "--out", dir.resolve("other"));
    assertTrue(other.err().contains("Wrote 48 files"), other::toString);
    assertFalse(
        Arrays.equals(
            Files.readAllBytes(files.get(0)),
            Files.readAllBytes(dir.resolve("other").resolve(first.relativize(files.get(0))))),
        "another seed gives other files");
  }
}
