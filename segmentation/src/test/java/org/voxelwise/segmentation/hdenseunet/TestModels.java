package org.voxelwise.segmentation.hdenseunet;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Path;
import org.voxelwise.segmentation.engine.DjlEnvironment;

/** Randomly initialised model folders for tests. */
final class TestModels {
  private TestModels() {}

  /** Saves a randomly initialised cpu() network with the given spacing as a model folder. */
  static HDenseUNetModelDirectory.Metadata saveRandom(Path dir, double[] spacingMm)
      throws IOException {
    DjlEnvironment.configure();
    HDenseUNetConfig config = HDenseUNetConfig.cpu();
    HDenseUNetModelDirectory.Metadata metadata =
        HDenseUNetModelDirectory.Metadata.withDefaults("test-random", "0.0.1", config)
            .withSpacingMm(spacingMm);
    try (Model model = Model.newInstance("hdenseunet", Device.cpu(), "PyTorch")) {
      HDenseUNet net = new HDenseUNet(config);
      model.setBlock(net);
      net.initialize(model.getNDManager(), DataType.FLOAT32, config.inputShape(1, 32, 32));
      HDenseUNetModelDirectory.save(dir, model, metadata);
    }
    return metadata;
  }
}
