package org.voxelwise.segmentation.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxelwise.imaging.simulate.Cbct4dSimulator;
import org.voxelwise.segmentation.engine.DjlEnvironment;
import org.voxelwise.segmentation.rstar.Rstar4dConfig;
import org.voxelwise.segmentation.rstar.Rstar4dModelCard.Stage;
import org.voxelwise.segmentation.rstar.Rstar4dModelCard.Variant;
import org.voxelwise.segmentation.rstar.Rstar4dModelFiles;

/**
 * Tiny "Tetris" runs of {@link Rstar4dTraining} on a coarse simulated scan (32×32×16 grid, 120
 * projections, 4 phases): the loss falls, the stage switch leaves the network's output unchanged,
 * and resuming goes on from the checkpoint.
 */
class Rstar4dTrainingRunTest {

  private static final Rstar4dConfig TINY =
      new Rstar4dConfig(new int[] {4, 8}, true, true, 0.2f, true);
  private static final Cbct4dSimulator.Parameters COARSE =
      Cbct4dSimulator.Parameters.defaults(0).withSize(32, 32, 16).withProjections(120);
  private static final Cbct4dSimulator.Parameters COARSE_4_PHASES =
      new Cbct4dSimulator.Parameters(
          32,
          32,
          16,
          120,
          4,
          0,
          Cbct4dSimulator.Parameters.DEFAULT_PHOTONS_PER_RAY,
          Cbct4dSimulator.Parameters.DEFAULT_ROTATION_TIME_S,
          true);
  private static final Device CPU = Device.cpu();

  @BeforeAll
  static void start() {
    DjlEnvironment.configure();
  }

  private static Rstar4dTraining.Options options(
      Path out, int steps1, int steps2, float lr, int validateEvery, boolean resume) {
    return new Rstar4dTraining.Options(
        out,
        Variant.RSTAR4D,
        TINY,
        steps1,
        steps2,
        32,
        2,
        new int[][] {{4, 32}, {2, 16}},
        5,
        lr,
        100,
        validateEvery,
        COARSE_4_PHASES,
        4,
        1,
        1000,
        new int[] {9990},
        2,
        32,
        resume,
        "test");
  }

  private static Rstar4dTraining.Result run(Rstar4dTraining.Options options, StringWriter log)
      throws Exception {
    return new Rstar4dTraining(options, CPU, new PrintWriter(log, true)).run();
  }

  @Test
  void aFewStepsOnOneCaseLowerTheLossAndBeatThePrior(@TempDir Path out) throws Exception {
    StringWriter log = new StringWriter();
    Rstar4dTraining.Result r = run(options(out, 24, 0, 3e-3f, 12, false), log);
    assertEquals(24, r.step());
    List<Double> losses =
        Files.readAllLines(out.resolve("loss.csv")).stream()
            .skip(1)
            .map(l -> Double.parseDouble(l.split(",")[2]))
            .toList();
    double first = losses.subList(0, 6).stream().mapToDouble(d -> d).average().orElseThrow();
    double last = losses.subList(18, 24).stream().mapToDouble(d -> d).average().orElseThrow();
    assertTrue(last < 0.95 * first, "loss " + first + " → " + last + "\n" + log);
    List<String> validation = Files.readAllLines(out.resolve("validation.csv"));
    assertEquals(3, validation.size(), validation::toString);
    assertTrue(validation.get(1).startsWith("12,SLICES_2D_T,"), validation::toString);
    // the untrained network returns the prior; trained, it beats it on the held-back case
    assertTrue(r.best().psnrDb() > r.prior().psnrDb() + 0.1, log::toString);
    assertEquals(24, r.bestStep(), log::toString);
  }

  @Test
  void stageTwoStartsWhereStageOneEndedAndResumingGoesOn(@TempDir Path out) throws Exception {
    StringWriter log = new StringWriter();
    Rstar4dTraining.Result first = run(options(out, 2, 0, 1e-3f, 100, false), log);
    assertEquals(2, first.step());
    assertFalse(first.stopped());
    float[] zOff;
    float[] zOn;
    try (Rstar4dModelFiles.Loaded stage1 = Rstar4dModelFiles.load(out.resolve("latest"), CPU);
        NDManager manager = stage1.model().getNDManager().newSubManager()) {
      assertEquals(Stage.SLICES_2D_T, stage1.card().stage());
      assertFalse(stage1.network().isZEnabled());
      NDList x = new NDList(manager.randomNormal(new Shape(1, 2, 4, 5, 16, 16)));
      zOff = forward(stage1, manager, x);
      stage1.network().setZEnabled(true);
      zOn = forward(stage1, manager, x);
    }
    assertArrayEquals(zOff, zOn, 0f, "switching the z branches on changes nothing at first");

    assertThrows(
        IllegalStateException.class, () -> run(options(out, 2, 0, 1e-3f, 100, false), log));
    Rstar4dTraining.Result resumed = run(options(out, 2, 2, 1e-3f, 100, true), log);
    assertEquals(4, resumed.step());
    assertTrue(log.toString().contains("resuming at step 2"), log::toString);
    List<String> losses = Files.readAllLines(out.resolve("loss.csv"));
    assertEquals(5, losses.size(), losses::toString);
    assertTrue(losses.get(2).startsWith("2,SLICES_2D_T,"), losses::toString);
    assertTrue(losses.get(3).startsWith("3,BLOCKS_4D,"), losses::toString);
    assertEquals(
        4,
        JsonParser.parseString(Files.readString(out.resolve("state.json")))
            .getAsJsonObject()
            .get("step")
            .getAsInt());
    try (Rstar4dModelFiles.Loaded stage2 = Rstar4dModelFiles.load(out.resolve("latest"), CPU)) {
      assertEquals(Stage.BLOCKS_4D, stage2.card().stage());
      assertEquals(4, stage2.card().training().stepsDone());
      assertTrue(stage2.network().isZEnabled());
      double zWeights = 0;
      for (var p : stage2.network().getParameters()) {
        if (p.getKey().endsWith("z_weight")) {
          zWeights += p.getValue().getArray().abs().sum().getFloat();
        }
      }
      assertTrue(zWeights > 0, "stage 2 trains the z branches");
    }
  }

  private static float[] forward(Rstar4dModelFiles.Loaded m, NDManager manager, NDList x) {
    return m.network()
        .forward(new ParameterStore(manager, false), x, false)
        .singletonOrThrow()
        .toFloatArray();
  }

  @Test
  void resumingAnEmptyFolderIsRefusedAndBadOptionsAreRejected(@TempDir Path out) {
    assertThrows(
        IllegalStateException.class,
        () -> run(options(out, 1, 0, 1e-3f, 1, true), new StringWriter()));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Rstar4dTraining.Options(
                out,
                Variant.RSTAR4D,
                TINY,
                1,
                0,
                31,
                1,
                new int[][] {{2, 16}},
                1,
                1e-3f,
                1,
                1,
                COARSE,
                4,
                1,
                1,
                new int[] {9990},
                2,
                32,
                false,
                "odd crop"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Rstar4dTraining.Options(
                out,
                Variant.RSTAR4D,
                TINY,
                1,
                0,
                32,
                1,
                new int[][] {{2, 16}},
                1,
                1e-3f,
                1,
                1,
                COARSE,
                4,
                1,
                1,
                new int[] {10_000},
                2,
                32,
                false,
                "held-out seed"));
  }
}
