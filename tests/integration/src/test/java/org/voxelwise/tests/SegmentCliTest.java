package org.voxelwise.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxelwise.imaging.simulate.AbdominalPhantom;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;
import org.voxelwise.segmentation.engine.DjlEnvironment;
import org.voxelwise.segmentation.hdenseunet.HDenseUNet;
import org.voxelwise.segmentation.hdenseunet.HDenseUNetConfig;
import org.voxelwise.segmentation.hdenseunet.HDenseUNetModelDirectory;

/**
 * {@code segment} and {@code evaluate segmentation} end to end with a randomly initialised cpu()
 * model: the files, their format and the report's keys (the labels themselves are meaningless
 * without trained weights).
 */
class SegmentCliTest {
  @TempDir static Path dir;
  private static Path model;
  private static Path study;
  private static Geometry geometry;

  @BeforeAll
  static void prepare() throws Exception {
    model = dir.resolve("model");
    DjlEnvironment.configure();
    HDenseUNetConfig config = HDenseUNetConfig.cpu();
    try (Model m = Model.newInstance("hdenseunet", Device.cpu(), "PyTorch")) {
      HDenseUNet net = new HDenseUNet(config);
      m.setBlock(net);
      net.initialize(m.getNDManager(), DataType.FLOAT32, config.inputShape(1, 32, 32));
      HDenseUNetModelDirectory.save(
          model,
          m,
          HDenseUNetModelDirectory.Metadata.withDefaults("test-random", "0.0.1", config)
              .withSpacingMm(new double[] {4, 4, 6}));
    }
    Volume ct =
        AbdominalPhantom.generate(
                AbdominalPhantom.Parameters.defaults()
                    .withSize(128, 128, 40)
                    .withSpacing(new double[] {3, 3, 5}),
                10_000)
            .ct();
    geometry = ct.geometry();
    study = dir.resolve("study");
    Studies.write(ct, study, "segment-cli", 5);
  }

  @Test
  void segmentWritesLabelsWithTheInputsAffineAndTheReport() throws Exception {
    Path out = dir.resolve("out");
    Cli.Result r = Cli.ok("segment", study, "--out", out, "--model", model, "--device", "cpu");
    assertTrue(r.out().contains("liver: "), r::toString);
    assertEquals(
        List.of(out.resolve("labels.nii.gz"), out.resolve("report.json"), out.resolve("seg.dcm")),
        Studies.files(out),
        "only the three outputs, no temporary files");

    JsonObject report =
        JsonParser.parseString(Files.readString(out.resolve("report.json"))).getAsJsonObject();
    assertEquals(
        Set.of("model", "device", "labels", "timingsMs", "outputs", "warnings"), report.keySet());
    assertEquals(
        "[\"labels.nii.gz\",\"seg.dcm\",\"report.json\"]", report.get("outputs").toString());
    assertEquals("test-random", report.getAsJsonObject("model").get("id").getAsString());
    assertEquals("0.0.1", report.getAsJsonObject("model").get("version").getAsString());
    assertEquals("cpu", report.get("device").getAsString());
    JsonArray labels = report.getAsJsonArray("labels");
    assertEquals(2, labels.size());
    long labelled = 0;
    for (int n = 0; n < 2; n++) {
      JsonObject l = labels.get(n).getAsJsonObject();
      assertEquals(Set.of("value", "name", "voxels", "volumeMl"), l.keySet());
      assertEquals(n + 1, l.get("value").getAsInt());
      assertEquals(n == 0 ? "liver" : "tumor", l.get("name").getAsString());
      long voxels = l.get("voxels").getAsLong();
      labelled += voxels * (n + 1);
      assertEquals(voxels * 3 * 3 * 5 / 1000.0, l.get("volumeMl").getAsDouble(), 1e-6);
    }
    JsonObject timings = report.getAsJsonObject("timingsMs");
    for (String step : List.of("read", "loadModel", "resample", "localise", "write")) {
      assertTrue(timings.has(step), () -> step + " missing in " + timings);
    }
    assertTrue(report.get("warnings").isJsonArray());

    JsonObject nib = Nibabel.describe(out.resolve("labels.nii.gz"), List.of(new int[] {0, 0, 0}));
    Studies.assertVector(
        new double[] {geometry.sizeX(), geometry.sizeY(), geometry.sizeZ()},
        nib.getAsJsonArray("shape"),
        0,
        "shape");
    assertEquals("uint8", nib.get("dtype").getAsString());
    assertEquals(labelled, nib.get("sum").getAsDouble(), "voxel sum = liver + 2·tumor");
    Studies.assertAffine(Studies.expectedRasAffine(geometry), nib.getAsJsonArray("affine"), 1e-4);
  }

  @Test
  void niftiInputGetsNoSegAndSaysWhy() throws Exception {
    Path nifti = dir.resolve("ct.nii.gz");
    Cli.ok("convert", study, "--out", nifti);
    Path out = dir.resolve("nifti-out");
    Cli.Result r = Cli.ok("segment", nifti, "--out", out, "--model", model, "--device", "cpu");
    assertEquals(
        List.of(out.resolve("labels.nii.gz"), out.resolve("report.json")), Studies.files(out));
    JsonObject report =
        JsonParser.parseString(Files.readString(out.resolve("report.json"))).getAsJsonObject();
    assertEquals("[\"labels.nii.gz\",\"report.json\"]", report.get("outputs").toString());
    assertTrue(
        report.get("warnings").toString().contains("no seg.dcm: the input is NIfTI"),
        report::toString);
    assertTrue(r.out().contains("warning: no seg.dcm"), r::toString);
  }

  @Test
  void gpuWithoutAGpuIsABadRequest() {
    Path out = dir.resolve("gpu");
    Cli.Result r = Cli.run("segment", study, "--out", out, "--model", model, "--device", "gpu");
    assertEquals(1, r.exitCode(), r::toString);
    assertEquals(1, r.errorLines().size(), r::toString);
    assertTrue(r.errorLines().get(0).contains("no CUDA GPU"), r::toString);
    assertTrue(Files.notExists(out.resolve("report.json")));
    assertEquals(2, Cli.run("segment", study, "--out", out, "--device", "tpu").exitCode());
  }

  @Test
  void aSingleSliceIsBadInput() throws Exception {
    Volume one =
        Volume.ofShorts(
            Geometry.axisAligned(128, 128, 1, new double[] {1, 1, 5}, new double[3]),
            "CT",
            new short[128 * 128]);
    Path single = dir.resolve("single");
    Studies.write(one, single, "segment-single", 6);
    Cli.Result r =
        Cli.run("segment", single, "--out", dir.resolve("x"), "--model", model, "--device", "cpu");
    Cli.assertBadInput(r, single, "single 2D image");
  }

  @Test
  void evaluateSegmentationPrintsTheMetricsAsJson() {
    Cli.Result r =
        Cli.ok(
            "evaluate",
            "segmentation",
            "--seeds",
            "10000-10001",
            "--json",
            "--model",
            model,
            "--device",
            "cpu",
            "--size",
            "96x96x24",
            "--spacing",
            "4x4x6");
    JsonObject o = r.json();
    assertEquals(Set.of("cases", "liver", "tumor"), o.keySet());
    assertEquals(2, o.get("cases").getAsInt());
    for (String s : List.of("liver", "tumor")) {
      JsonObject m = o.getAsJsonObject(s);
      assertEquals(Set.of("dicePerCase", "diceGlobal", "hd95Mm", "volumeErrorPct"), m.keySet());
      double dice = m.get("dicePerCase").getAsDouble();
      assertTrue(dice >= 0 && dice <= 1, o::toString);
    }
  }
}
