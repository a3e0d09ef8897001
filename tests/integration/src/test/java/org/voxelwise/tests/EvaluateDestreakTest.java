package org.voxelwise.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxelwise.segmentation.engine.DjlEnvironment;
import org.voxelwise.segmentation.rstar.Rstar4dConfig;
import org.voxelwise.segmentation.rstar.Rstar4dModelCard;
import org.voxelwise.segmentation.rstar.Rstar4dModelCard.Stage;
import org.voxelwise.segmentation.rstar.Rstar4dModelCard.Variant;
import org.voxelwise.segmentation.rstar.Rstar4dModelFiles;
import org.voxelwise.segmentation.rstar.Rstar4dNet;

/**
 * {@code evaluate destreak} with tiny untrained models (prior residual, so they return about the
 * prior) on coarse simulated scans (48×48×4, 120 projections): the JSON keys, finite values, and
 * the simulator's ordering (per-phase FBP below the prior).
 */
class EvaluateDestreakTest {
  @TempDir static Path dir;

  @BeforeAll
  static void models() throws Exception {
    DjlEnvironment.configure();
    for (Variant v : Variant.values()) {
      Rstar4dConfig config = v.apply(new Rstar4dConfig(new int[] {4, 8}, true, true, 0.2f, true));
      try (Model model = Model.newInstance("rstar4d", Device.cpu(), "PyTorch")) {
        Rstar4dNet net = new Rstar4dNet(config);
        model.setBlock(net);
        net.initialize(model.getNDManager(), DataType.FLOAT32, net.inputShape(1, 10, 1, 16, 16));
        Rstar4dModelFiles.save(
            model,
            new Rstar4dModelCard(
                v.modelId(),
                "0.0.1",
                v,
                config,
                Stage.BLOCKS_4D,
                Rstar4dModelCard.PAPER_SCALE_HU,
                null,
                Rstar4dModelCard.Training.noneRecorded()),
            dir.resolve(v.cliName()));
      }
    }
  }

  @Test
  void jsonHasEveryMethodWithFiniteScores() {
    Cli.Result r =
        Cli.ok(
            "evaluate",
            "destreak",
            "--seeds",
            "10000-10001",
            "--json",
            "--model",
            dir.resolve("rstar4d"),
            "--ablation",
            dir.resolve("ablation3d"),
            "--device",
            "cpu",
            "--size",
            "48x48x4",
            "--projections",
            120);
    JsonObject o = r.json();
    assertEquals(Set.of("cases", "methods"), o.keySet());
    assertEquals(2, o.get("cases").getAsInt());
    JsonObject methods = o.getAsJsonObject("methods");
    assertEquals(Set.of("fbp", "prior", "ablation3d", "rstar4d"), methods.keySet());
    for (String m : methods.keySet()) {
      JsonObject s = methods.getAsJsonObject(m);
      assertEquals(Set.of("psnr", "ssim", "rmse"), s.keySet(), m);
      for (String k : s.keySet()) {
        assertTrue(Double.isFinite(s.get(k).getAsDouble()), m + " " + k);
      }
      assertTrue(s.get("ssim").getAsDouble() <= 1, m);
    }
    double fbp = methods.getAsJsonObject("fbp").get("psnr").getAsDouble();
    double prior = methods.getAsJsonObject("prior").get("psnr").getAsDouble();
    assertTrue(fbp < prior, "per-phase FBP below the prior: " + o);
    assertTrue(
        methods.getAsJsonObject("fbp").get("rmse").getAsDouble()
            > methods.getAsJsonObject("prior").get("rmse").getAsDouble(),
        o::toString);
  }

  @Test
  void withoutTheAblationTheTableLeavesItOutAndSaysSo() {
    Cli.Result r =
        Cli.ok(
            "evaluate",
            "destreak",
            "--seeds",
            "10002",
            "--model",
            dir.resolve("rstar4d"),
            "--device",
            "cpu",
            "--size",
            "48x48x2",
            "--projections",
            120);
    assertTrue(r.err().contains("no --ablation model: ablation3d left out"), r::toString);
    assertTrue(r.out().contains("rstar4d"), r::toString);
    assertTrue(r.out().contains("prior"), r::toString);
    assertTrue(!r.out().contains("ablation3d"), r::toString);
    Cli.Result bad =
        Cli.run(
            "evaluate",
            "destreak",
            "--seeds",
            "10002",
            "--model",
            dir,
            "--device",
            "cpu",
            "--size",
            "48x48x2",
            "--projections",
            120);
    Cli.assertBadInput(bad, dir, "not a model folder (no model.json)");
  }
}
