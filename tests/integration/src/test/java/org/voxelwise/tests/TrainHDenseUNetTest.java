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
 * {@code train hdenseunet}: a three-step smoke run (one step per stage, 64×64 crops of a coarse
 * 64×64×16 phantom, a pool of one case) writes model folders with {@code model.json} and
 * parameters; never a real training.
 */
class TrainHDenseUNetTest {
  @TempDir Path dir;

  @Test
  void aSmokeRunWritesModelJsonAndParameters() throws Exception {
    Path out = dir.resolve("run");
    Cli.Result r =
        Cli.ok(
            "train",
            "hdenseunet",
            "--out",
            out,
            "--steps2d",
            1,
            "--steps3d",
            1,
            "--stepsE2E",
            1,
            "--crop",
            64,
            "--pool",
            1,
            "--size",
            "64x64x16",
            "--spacing",
            "6x6x10",
            "--validation-tile",
            64,
            "--device",
            "cpu");
    assertTrue(r.err().contains("done at step 3"), r::toString);
    for (String model : new String[] {"latest", "best"}) {
      Path folder = out.resolve(model);
      JsonObject card =
          JsonParser.parseString(Files.readString(folder.resolve("model.json"))).getAsJsonObject();
      assertEquals("voxelwise-liver-hdenseunet", card.get("id").getAsString());
      String params = card.get("paramsFile").getAsString();
      assertTrue(params.matches("hdenseunet-\\d{4}\\.params"), params);
      assertTrue(Files.size(folder.resolve(params)) > 100_000, params);
    }
    JsonObject latest =
        JsonParser.parseString(Files.readString(out.resolve("latest/model.json")))
            .getAsJsonObject();
    assertEquals("END_TO_END", latest.get("stage").getAsString());
    assertTrue(
        latest
            .getAsJsonObject("training")
            .get("command")
            .getAsString()
            .startsWith("voxelwise train hdenseunet --out "));
    assertEquals(4, Files.readAllLines(out.resolve("loss.csv")).size());
    assertEquals(
        6.0,
        latest.getAsJsonObject("preprocessing").getAsJsonArray("spacingMm").get(0).getAsDouble());

    Cli.Result again = Cli.run("train", "hdenseunet", "--out", out, "--steps2d", 1);
    assertEquals(1, again.exitCode(), again::toString);
    assertTrue(again.errorLines().get(0).contains("already holds a training run"), again::toString);
  }
}
