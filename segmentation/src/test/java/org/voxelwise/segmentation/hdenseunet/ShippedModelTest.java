package org.voxelwise.segmentation.hdenseunet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.voxelwise.segmentation.engine.DeviceChoice;
import org.voxelwise.segmentation.engine.DjlEnvironment;

/** The shipped liver model loads from the class path and runs on a slab. */
class ShippedModelTest {

  @Test
  void theShippedLiverModelLoadsAndRuns() throws IOException {
    DjlEnvironment.configure();
    Device cpu = DeviceChoice.CPU.select(0);
    Path folder =
        HDenseUNetModelDirectory.builtIn()
            .orElseThrow(() -> new AssertionError("no built-in model on the class path"));
    try (HDenseUNetModelFiles.Loaded loaded = HDenseUNetModelFiles.load(folder, cpu)) {
      ModelCard card = loaded.card();
      assertEquals(ModelCard.LIVER_ID, card.id());
      assertEquals(HDenseUNetConfig.cpu(), card.config());
      assertEquals(card.stage(), loaded.network().stage());
      assertEquals(ModelCard.LIVER_CLASSES, card.classNames());
      assertEquals(0.9, card.thresholds().get("tumor"));
      assertEquals(-200f, card.preprocessing().huMin());
      try (NDManager manager = loaded.model().getNDManager().newSubManager()) {
        NDArray slab =
            manager.full(new Shape(1, 1, 8, 64, 64), card.preprocessing().normalise(-1000));
        NDList out =
            loaded
                .model()
                .getBlock()
                .forward(new ParameterStore(manager, false), new NDList(slab), false);
        assertEquals(new Shape(1, 3, 8, 64, 64), out.get(0).getShape());
        // air is background
        NDArray argmax = out.get(0).argMax(1);
        assertTrue(argmax.eq(0).all().getBoolean(), "air predicted as background");
      }
    }
  }
}
