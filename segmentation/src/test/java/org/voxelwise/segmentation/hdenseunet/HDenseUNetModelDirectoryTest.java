package org.voxelwise.segmentation.hdenseunet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxelwise.imaging.BadInputException;

/** The model folder format: save → load round trip, and clear errors for broken folders. */
class HDenseUNetModelDirectoryTest {
  @TempDir Path dir;

  @Test
  void savedModelLoadsWithItsMetadataAndGivesOutputs() throws Exception {
    HDenseUNetModelDirectory.Metadata saved = TestModels.saveRandom(dir, new double[] {2, 2, 3});
    assertTrue(Files.isRegularFile(dir.resolve("model.json")));
    assertTrue(Files.isRegularFile(dir.resolve("hdenseunet-0000.params")));
    try (HDenseUNetModelDirectory.Loaded loaded =
        HDenseUNetModelDirectory.load(dir, Device.cpu())) {
      HDenseUNetModelDirectory.Metadata m = loaded.metadata();
      assertEquals("test-random", m.id());
      assertEquals("0.0.1", m.version());
      assertArrayEquals(new double[] {2, 2, 3}, m.spacingMm());
      assertEquals(0.5, m.liverThreshold());
      assertEquals(0.9, m.tumorThreshold());
      assertEquals(saved.config().slabDepth(), m.config().slabDepth());
      assertArrayEquals(saved.config().net2d().blockDepths(), m.config().net2d().blockDepths());
      assertEquals(saved.config().dropout(), m.config().dropout());
      NDManager manager = loaded.model().getNDManager();
      NDList out =
          loaded
              .network()
              .forward(
                  new ParameterStore(manager, false),
                  new NDList(manager.zeros(m.config().inputShape(1, 32, 32))),
                  false);
      assertEquals(m.config().inputShape(1, 32, 32).size() * 3, out.get(0).size());
    }
  }

  @Test
  void brokenFoldersAreBadInputNamingTheProblem() throws Exception {
    BadInputException none =
        assertThrows(
            BadInputException.class, () -> HDenseUNetModelDirectory.load(dir, Device.cpu()));
    assertTrue(none.getMessage().contains("no model.json"), none.getMessage());
    Files.writeString(dir.resolve("model.json"), "{\"id\": \"x\"}");
    BadInputException malformed =
        assertThrows(BadInputException.class, () -> HDenseUNetModelDirectory.readMetadata(dir));
    assertTrue(malformed.getMessage().contains("malformed"), malformed.getMessage());
    TestModels.saveRandom(dir, new double[] {1.5, 1.5, 2.5});
    try (var params = Files.newDirectoryStream(dir, "*.params")) {
      for (Path p : params) {
        Files.delete(p);
      }
    }
    BadInputException noParams =
        assertThrows(
            BadInputException.class, () -> HDenseUNetModelDirectory.load(dir, Device.cpu()));
    assertTrue(noParams.getMessage().contains("cannot be loaded"), noParams.getMessage());
  }
}
