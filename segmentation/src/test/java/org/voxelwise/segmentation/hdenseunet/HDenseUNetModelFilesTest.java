package org.voxelwise.segmentation.hdenseunet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxelwise.segmentation.engine.DeviceChoice;
import org.voxelwise.segmentation.engine.DjlEnvironment;

/** Model folders: the card's JSON round trip, and save → load giving identical outputs. */
class HDenseUNetModelFilesTest {

  static final HDenseUNetConfig TINY =
      new HDenseUNetConfig(
          new DenseNetSpec(4, 8, new int[] {1, 2}, 0.5),
          new DenseNetSpec(4, 8, new int[] {1, 1}, 0.5),
          4,
          8,
          0.3f,
          3);
  private static Device cpu;

  @BeforeAll
  static void start() {
    DjlEnvironment.configure();
    cpu = DeviceChoice.CPU.select(0);
  }

  static ModelCard card(HDenseUNet.Stage stage) {
    return new ModelCard(
        ModelCard.LIVER_ID,
        "0.1.0",
        TINY,
        stage,
        Preprocessing.defaults(4, 32),
        ModelCard.LIVER_CLASSES,
        ModelCard.DEFAULT_THRESHOLDS,
        null,
        new ModelCard.Training(
            "voxelwise train hdenseunet --out x",
            7,
            "test",
            new int[] {9990, 9991},
            Map.of("TWO_D", 3),
            3,
            1.5,
            Map.of("TWO_D", 0.9),
            Map.of("liver", 0.5, "tumor", 0.1),
            3));
  }

  @Test
  void theCardSurvivesJson() throws IOException {
    ModelCard card = card(HDenseUNet.Stage.THREE_D).withParamsFile("hdenseunet-0003.params");
    ModelCard back = HDenseUNetModelFiles.fromJson(HDenseUNetModelFiles.toJson(card));
    assertEquals(card.config(), back.config());
    assertEquals(card.preprocessing(), back.preprocessing());
    assertEquals(HDenseUNet.Stage.THREE_D, back.stage());
    assertEquals(List.of("background", "liver", "tumor"), back.classNames());
    assertEquals(0.9, back.thresholds().get("tumor"));
    assertEquals("hdenseunet-0003.params", back.paramsFile());
    assertArrayEquals(new int[] {9990, 9991}, back.training().validationSeeds());
    assertThrows(IOException.class, () -> HDenseUNetModelFiles.fromJson("{\"id\": \"x\"}"));
  }

  @Test
  void savedModelLoadsWithIdenticalOutputs(@TempDir Path dir) throws IOException {
    Path modelDir = dir.resolve("model");
    float[] input = new float[4 * 32 * 32];
    Random random = new Random(1);
    for (int i = 0; i < input.length; i++) {
      input[i] = (float) (2 * random.nextDouble() - 1);
    }
    float[] expected;
    try (Model model = Model.newInstance("hdenseunet", cpu, "PyTorch")) {
      HDenseUNet net = new HDenseUNet(TINY);
      model.setBlock(net);
      net.initialize(
          model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, TINY.inputShape(1, 32, 32));
      net.setStage(HDenseUNet.Stage.END_TO_END);
      expected = infer(model, input);
      ModelCard written =
          HDenseUNetModelFiles.save(model, card(HDenseUNet.Stage.END_TO_END), modelDir);
      assertEquals("hdenseunet-0003.params", written.paramsFile());
      // saving again replaces the folder's content
      HDenseUNetModelFiles.save(model, card(HDenseUNet.Stage.END_TO_END), modelDir);
    }
    try (var files = Files.list(modelDir)) {
      assertEquals(2, files.count());
    }
    try (HDenseUNetModelFiles.Loaded loaded = HDenseUNetModelFiles.load(modelDir, cpu)) {
      assertEquals(HDenseUNet.Stage.END_TO_END, loaded.network().stage());
      assertEquals(TINY, loaded.card().config());
      assertArrayEquals(expected, infer(loaded.model(), input), 0f);
    }
  }

  @Test
  void aModelOfAnotherConfigurationIsRefused(@TempDir Path dir) {
    try (Model model = Model.newInstance("hdenseunet", cpu, "PyTorch")) {
      model.setBlock(new HDenseUNet(HDenseUNetConfig.cpu()));
      assertThrows(
          IllegalArgumentException.class,
          () -> HDenseUNetModelFiles.save(model, card(HDenseUNet.Stage.TWO_D), dir.resolve("m")));
    }
    assertTrue(Files.notExists(dir.resolve("m")));
  }

  private static float[] infer(Model model, float[] input) {
    try (NDManager manager = model.getNDManager().newSubManager()) {
      NDArray x = manager.create(input, new Shape(1, 1, 4, 32, 32));
      NDList out =
          model.getBlock().forward(new ParameterStore(manager, false), new NDList(x), false);
      return out.get(0).toFloatArray();
    }
  }
}
