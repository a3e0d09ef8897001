package org.voxelwise.segmentation.train;

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
import org.voxelwise.imaging.simulate.AbdominalPhantom;
import org.voxelwise.segmentation.engine.DeviceChoice;
import org.voxelwise.segmentation.engine.DjlEnvironment;
import org.voxelwise.segmentation.hdenseunet.DenseNetSpec;
import org.voxelwise.segmentation.hdenseunet.HDenseUNet;
import org.voxelwise.segmentation.hdenseunet.HDenseUNetConfig;
import org.voxelwise.segmentation.hdenseunet.HDenseUNetModelFiles;

/**
 * A tiny staged run (one step per stage, 32×32 crops of a coarse 64×64×16 phantom) writes the
 * output folder, its model folders load, and resuming goes on from the saved step.
 */
class TrainingRunTest {

  private static final HDenseUNetConfig TINY =
      new HDenseUNetConfig(
          new DenseNetSpec(4, 8, new int[] {1, 2}, 0.5),
          new DenseNetSpec(4, 8, new int[] {1, 1}, 0.5),
          4,
          8,
          0.3f,
          3);
  private static final AbdominalPhantom.Parameters COARSE =
      AbdominalPhantom.Parameters.defaults()
          .withSize(64, 64, 16)
          .withSpacing(new double[] {6, 6, 10});
  private static Device cpu;

  @BeforeAll
  static void start() {
    DjlEnvironment.configure();
    cpu = DeviceChoice.CPU.select(0);
  }

  private static HDenseUNetTraining.Options options(Path out, int stepsE2E, boolean resume) {
    return new HDenseUNetTraining.Options(
        out,
        TINY,
        1,
        1,
        stepsE2E,
        32,
        1,
        3,
        1e-3f,
        0.3f,
        2,
        2,
        COARSE,
        1,
        1,
        new int[] {9990},
        32,
        resume,
        "test");
  }

  private static HDenseUNetTraining.Result run(HDenseUNetTraining.Options options, StringWriter log)
      throws Exception {
    return new HDenseUNetTraining(options, cpu, new PrintWriter(log, true)).run();
  }

  @Test
  void aStagedRunWritesModelFoldersAndResumes(@TempDir Path out) throws Exception {
    StringWriter log = new StringWriter();
    HDenseUNetTraining.Result result = run(options(out, 1, false), log);
    assertEquals(3, result.step());
    assertFalse(result.stopped());
    assertTrue(result.bestStep() >= 1, log::toString);
    List<String> losses = Files.readAllLines(out.resolve("loss.csv"));
    assertEquals("step,stage,loss,lr,seconds", losses.get(0));
    assertEquals(4, losses.size(), losses::toString);
    assertTrue(losses.get(1).startsWith("1,TWO_D,"));
    assertTrue(losses.get(2).startsWith("2,THREE_D,"));
    assertTrue(losses.get(3).startsWith("3,END_TO_END,"));
    // validation at each stage end: steps 1, 2, 3
    assertEquals(4, Files.readAllLines(out.resolve("validation.csv")).size());
    for (String dir : new String[] {"latest", "best"}) {
      assertTrue(Files.isRegularFile(out.resolve(dir).resolve("model.json")), dir);
    }
    try (HDenseUNetModelFiles.Loaded latest =
        HDenseUNetModelFiles.load(out.resolve("latest"), cpu)) {
      assertEquals(HDenseUNet.Stage.END_TO_END, latest.network().stage());
      assertEquals(3, latest.card().training().stepsDone());
      assertEquals("hdenseunet-0003.params", latest.card().paramsFile());
      assertEquals("voxelwise-liver-hdenseunet", latest.card().id());
      assertEquals(32, latest.card().preprocessing().tileSize());
      try (NDManager manager = latest.model().getNDManager().newSubManager()) {
        NDList output =
            latest
                .model()
                .getBlock()
                .forward(
                    new ParameterStore(manager, false),
                    new NDList(manager.zeros(new Shape(1, 1, 4, 32, 32))),
                    false);
        assertEquals(new Shape(1, 3, 4, 32, 32), output.get(0).getShape());
      }
    }

    assertThrows(IllegalStateException.class, () -> run(options(out, 1, false), log));
    float[] before = firstWeights(out);
    HDenseUNetTraining.Result resumed = run(options(out, 2, true), log);
    float[] after = firstWeights(out);
    // one Adam step moves each weight by about the learning rate: the resumed run trained the
    // saved weights (not a fresh network, and not a copy the trainer never sees)
    double largest = 0;
    for (int i = 0; i < before.length; i++) {
      largest = Math.max(largest, Math.abs(after[i] - before[i]));
    }
    assertTrue(largest > 0 && largest < 0.01, "largest weight change " + largest);
    assertEquals(4, resumed.step());
    assertTrue(log.toString().contains("resuming at step 3"), log::toString);
    losses = Files.readAllLines(out.resolve("loss.csv"));
    assertEquals(5, losses.size(), losses::toString);
    assertTrue(losses.get(4).startsWith("4,END_TO_END,"));
    assertEquals(
        4,
        JsonParser.parseString(Files.readString(out.resolve("state.json")))
            .getAsJsonObject()
            .get("step")
            .getAsInt());
  }

  private static float[] firstWeights(Path out) throws Exception {
    try (HDenseUNetModelFiles.Loaded m = HDenseUNetModelFiles.load(out.resolve("latest"), cpu)) {
      return m.network().getParameters().stream()
          .filter(p -> p.getKey().endsWith("weight"))
          .findFirst()
          .orElseThrow()
          .getValue()
          .getArray()
          .toFloatArray();
    }
  }

  @Test
  void resumingAnEmptyFolderIsRefused(@TempDir Path out) {
    assertThrows(IllegalStateException.class, () -> run(options(out, 1, true), new StringWriter()));
  }

  @Test
  void trainingCasesIndexLiverAndTumorVoxels() {
    TrainingCase c = TrainingCase.generate(COARSE, 9990);
    assertEquals(64 * 64 * 16, c.hu().length);
    assertTrue(c.liverVoxels().length > 0);
    for (int i : c.liverVoxels()) {
      assertTrue(c.labels()[i] >= 1);
    }
    for (int i : c.tumorVoxels()) {
      assertEquals(2, c.labels()[i]);
    }
  }
}
