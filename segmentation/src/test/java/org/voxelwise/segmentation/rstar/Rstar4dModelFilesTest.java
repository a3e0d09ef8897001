package org.voxelwise.segmentation.rstar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxelwise.segmentation.engine.DjlEnvironment;
import org.voxelwise.segmentation.rstar.Rstar4dModelCard.Stage;
import org.voxelwise.segmentation.rstar.Rstar4dModelCard.Variant;

/** The model folder of RSTAR4D: model.json fields, save → load identity, clear errors. */
class Rstar4dModelFilesTest {

  static final Rstar4dConfig TINY = new Rstar4dConfig(new int[] {4, 8}, true, true, 0.2f, true);

  @BeforeAll
  static void start() {
    DjlEnvironment.configure();
  }

  /** Saves a randomly initialised (and perturbed) tiny network of the variant into {@code dir}. */
  static void saveRandom(Path dir, Variant variant, Stage stage) throws IOException {
    Rstar4dConfig config = variant.apply(TINY);
    try (Model model = Model.newInstance("rstar4d", Device.cpu(), "PyTorch")) {
      Rstar4dNet net = new Rstar4dNet(config);
      model.setBlock(net);
      net.initialize(model.getNDManager(), DataType.FLOAT32, net.inputShape(1, 4, 2, 16, 16));
      RstarTestSupport.perturb(net, model.getNDManager(), 0.05f);
      Rstar4dModelFiles.save(
          model,
          new Rstar4dModelCard(
              variant.modelId(),
              "0.0.1",
              variant,
              config,
              stage,
              Rstar4dModelCard.PAPER_SCALE_HU,
              null,
              Rstar4dModelCard.Training.noneRecorded()),
          dir);
    }
  }

  @Test
  void saveThenLoadGivesTheSameOutputsAndACompleteCard(@TempDir Path dir) throws Exception {
    Path folder = dir.resolve("m");
    saveRandom(folder, Variant.RSTAR4D, Stage.BLOCKS_4D);
    JsonObject json =
        JsonParser.parseString(Files.readString(folder.resolve("model.json"))).getAsJsonObject();
    assertEquals("voxelwise-cbct-rstar4d", json.get("id").getAsString());
    assertEquals("rstar4d", json.get("variant").getAsString());
    assertEquals("BLOCKS_4D", json.get("stage").getAsString());
    assertEquals(1000.0, json.get("inputScaleHu").getAsDouble());
    assertEquals("rstar4d-0000.params", json.get("paramsFile").getAsString());
    assertTrue(Files.isRegularFile(folder.resolve("rstar4d-0000.params")));
    try (Rstar4dModelFiles.Loaded a = Rstar4dModelFiles.load(folder, Device.cpu());
        Rstar4dModelFiles.Loaded b = Rstar4dModelFiles.load(folder, Device.cpu());
        NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      assertTrue(a.network().isZEnabled());
      assertEquals(TINY, a.card().config());
      NDArray x = manager.randomNormal(new Shape(1, 2, 4, 3, 16, 16));
      float[] first = RstarTestSupport.forward(a.network(), manager, x).toFloatArray();
      float[] second = RstarTestSupport.forward(b.network(), manager, x).toFloatArray();
      assertArrayEquals(first, second, 0f);
    }
  }

  @Test
  void theAblationAndStageOneLoadWithTheirSwitches(@TempDir Path dir) throws Exception {
    saveRandom(dir.resolve("a"), Variant.ABLATION3D, Stage.SLICES_2D_T);
    try (Rstar4dModelFiles.Loaded a = Rstar4dModelFiles.load(dir.resolve("a"), Device.cpu())) {
      assertEquals(Variant.ABLATION3D, a.card().variant());
      assertEquals("voxelwise-cbct-ablation3d", a.card().id());
      assertTrue(!a.network().config().tEnabled() && !a.network().isZEnabled());
    }
  }

  @Test
  void badFoldersAndCardsGiveClearErrors(@TempDir Path dir) throws Exception {
    IOException none =
        assertThrows(IOException.class, () -> Rstar4dModelFiles.load(dir, Device.cpu()));
    assertTrue(none.getMessage().contains("not a model folder (no model.json)"), none::getMessage);
    Files.writeString(dir.resolve("model.json"), "{\"id\": 3");
    IOException broken =
        assertThrows(IOException.class, () -> Rstar4dModelFiles.load(dir, Device.cpu()));
    assertTrue(broken.getMessage().contains("not a valid RSTAR4D model card"), broken::getMessage);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Rstar4dModelCard(
                "x",
                "1",
                Variant.ABLATION3D,
                TINY,
                Stage.BLOCKS_4D,
                1000,
                null,
                Rstar4dModelCard.Training.noneRecorded()));
    assertEquals(Variant.ABLATION3D, Variant.parse(" Ablation3D "));
    assertThrows(IllegalArgumentException.class, () -> Variant.parse("4d"));
  }
}
