package org.voxelwise.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train rstar4d}: a two-step smoke run (one step per "Tetris" stage on a coarse 32×32×16
 * simulated scan of 120 projections) writes model folders with {@code model.json} and parameters,
 * the logs and the state; never a real training.
 */
class TrainRstar4dTest {
  @TempDir Path dir;

  private static Object[] smoke(Path out, String variant) {
    return new Object[] {
      "train",
      "rstar4d",
      "--out",
      out,
      "--variant",
      variant,
      "--steps1",
      1,
      "--steps2",
      1,
      "--crop",
      32,
      "--batch",
      1,
      "--blocks",
      "2x32",
      "--pool",
      1,
      "--case-slices",
      4,
      "--size",
      "32x32x16",
      "--projections",
      120,
      "--validation-cases",
      1,
      "--validation-slices",
      2,
      "--validation-tile",
      32,
      "--device",
      "cpu"
    };
  }

  @Test
  void aSmokeRunOfEachVariantWritesModelFolders() throws Exception {
    for (String variant : new String[] {"rstar4d", "ablation3d"}) {
      Path out = dir.resolve(variant);
      Cli.Result r = Cli.ok(smoke(out, variant));
      assertTrue(r.err().contains("done at step 2"), r::toString);
      assertTrue(r.err().contains("validation baselines: FBP PSNR"), r::toString);
      JsonObject latest =
          JsonParser.parseString(Files.readString(out.resolve("latest/model.json")))
              .getAsJsonObject();
      assertEquals(variant, latest.get("variant").getAsString());
      assertEquals("BLOCKS_4D", latest.get("stage").getAsString());
      assertEquals(1000.0, latest.get("inputScaleHu").getAsDouble());
      assertEquals(
          variant.equals("rstar4d"),
          latest.getAsJsonObject("config").get("tEnabled").getAsBoolean());
      assertTrue(
          latest
              .getAsJsonObject("training")
              .get("command")
              .getAsString()
              .startsWith("voxelwise train rstar4d --out "));
      String params = latest.get("paramsFile").getAsString();
      assertEquals("rstar4d-0002.params", params);
      assertTrue(Files.size(out.resolve("latest").resolve(params)) > 10_000, params);
      assertTrue(Files.isRegularFile(out.resolve("best/model.json")));
      assertEquals(3, Files.readAllLines(out.resolve("loss.csv")).size());
      assertEquals(3, Files.readAllLines(out.resolve("validation.csv")).size());
    }
    Cli.Result again = Cli.run(smoke(dir.resolve("rstar4d"), "rstar4d"));
    assertEquals(1, again.exitCode(), again::toString);
    assertTrue(again.errorLines().get(0).contains("already holds a training run"), again::toString);
    Cli.Result bad = Cli.run("train", "rstar4d", "--out", dir.resolve("x"), "--variant", "2d");
    assertEquals(2, bad.exitCode(), bad::toString);
    assertTrue(bad.err().contains("unknown variant '2d'"), bad::toString);
  }
}
