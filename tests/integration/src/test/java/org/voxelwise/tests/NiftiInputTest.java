package org.voxelwise.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.voxelwise.imaging.nifti.NiftiReader;
import org.voxelwise.imaging.nifti.NiftiWriter;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;

/** NIfTI files as input: {@code info} describes them, {@code convert} NIfTI → NIfTI round-trips. */
class NiftiInputTest {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({"in.nii.gz, out.nii, false", "in.nii, out.nii.gz, true"})
  void infoAndConvert(String inName, String outName, boolean floats) throws Exception {
    Geometry g =
        Studies.oblique(33, 27, 9, new double[] {1.1, 0.9, 3}, new double[] {10.5, -20.25, 7});
    Volume shorts = Studies.ct(g, 21);
    Volume v = floats ? Volume.ofFloats(g, "CT", scaled(shorts)) : shorts;
    Path in = dir.resolve(inName);
    NiftiWriter.write(v, in);

    JsonObject info = Cli.ok("info", in, "--json").json();
    JsonArray series = info.getAsJsonArray("series");
    assertEquals(1, series.size(), info::toString);
    JsonObject s = series.get(0).getAsJsonObject();
    assertEquals(27, s.get("rows").getAsInt());
    assertEquals(33, s.get("columns").getAsInt());
    assertEquals(9, s.get("slices").getAsInt());
    assertEquals(1, s.get("phases").getAsInt());
    Studies.assertVector(g.spacingMm(), s.getAsJsonArray("spacing"), 1e-5, "spacing");
    Studies.assertVector(g.originMm(), s.getAsJsonArray("origin"), 1e-4, "origin");
    Volume.Statistics stats = v.statistics();
    JsonObject st = s.getAsJsonObject("stats");
    assertEquals(stats.min(), st.get("min").getAsDouble());
    assertEquals(stats.max(), st.get("max").getAsDouble());
    assertEquals(stats.mean(), st.get("mean").getAsDouble(), 1e-9);
    String text = Cli.ok("info", in).out();
    assertTrue(text.contains("33×27×9 voxels"), text);

    Path out = dir.resolve(outName);
    Cli.ok("convert", in, "--out", out);
    Volume back = NiftiReader.read(out);
    assertEquals(floats, !back.isShort());
    assertTrue(back.geometry().sameGrid(g, 1e-4), back.geometry().toString());
    assertEquals(Studies.sha256OfFloats(v), Studies.sha256OfFloats(back));
  }

  private static float[] scaled(Volume v) {
    float[] f = v.toFloatArray();
    for (int i = 0; i < f.length; i++) {
      f[i] = f[i] * 0.37f + 0.125f;
    }
    return f;
  }
}
