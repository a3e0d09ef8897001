package org.voxelwise.segmentation.hdenseunet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxelwise.segmentation.engine.DeviceChoice;
import org.voxelwise.segmentation.engine.DjlEnvironment;

/**
 * Trains the cpu() H-DenseUNet for a few Adam steps on a tiny synthetic slab; checks the staged
 * freezing and the save → load round trip on an even smaller configuration (two levels), to keep
 * the tests fast.
 */
class HDenseUNetTrainingTest {

  private static final HDenseUNetConfig TINY =
      new HDenseUNetConfig(
          new DenseNetSpec(4, 8, new int[] {1, 2}, 0.5),
          new DenseNetSpec(4, 8, new int[] {1, 1}, 0.5),
          4,
          8,
          0.3f,
          3);
  private static final int DEPTH = 4;
  private static final int SIDE = 32;
  private static Device cpu;

  @BeforeAll
  static void start() {
    DjlEnvironment.configure();
    cpu = DeviceChoice.CPU.select(0);
  }

  /**
   * A 1×1×4×32×32 slab: background around −0.8, an ellipsoid "liver" (class 1) at 0.2 and a small
   * brighter "tumor" (class 2) at 0.8 inside it, with a little noise; labels 1×4×32×32.
   */
  private static NDList[] tinyTask(NDManager manager) {
    float[] image = new float[DEPTH * SIDE * SIDE];
    int[] labels = new int[image.length];
    Random noise = new Random(7);
    for (int z = 0; z < DEPTH; z++) {
      for (int y = 0; y < SIDE; y++) {
        for (int x = 0; x < SIDE; x++) {
          double dz = z - 1.5;
          double dy = y - 15.5;
          double dx = x - 14.5;
          double liver = sq(dz / 2.5) + sq(dy / 11) + sq(dx / 12);
          double tumor = sq(dz / 1.6) + sq((dy + 2) / 4) + sq((dx - 3) / 4);
          int i = (z * SIDE + y) * SIDE + x;
          labels[i] = tumor <= 1 ? 2 : liver <= 1 ? 1 : 0;
          float value = labels[i] == 2 ? 0.8f : labels[i] == 1 ? 0.2f : -0.8f;
          image[i] = value + (float) (0.05 * noise.nextGaussian());
        }
      }
    }
    return new NDList[] {
      new NDList(manager.create(image, new Shape(1, 1, DEPTH, SIDE, SIDE))),
      new NDList(manager.create(labels, new Shape(1, DEPTH, SIDE, SIDE)))
    };
  }

  private static double sq(double v) {
    return v * v;
  }

  private static Trainer newTrainer(Model model, float learningRate) {
    DefaultTrainingConfig config =
        new DefaultTrainingConfig(SegmentationLoss.paper())
            .optOptimizer(
                Adam.builder().optLearningRateTracker(Tracker.fixed(learningRate)).build())
            .optDevices(new Device[] {cpu});
    Trainer trainer = model.newTrainer(config);
    trainer.initialize(new Shape(1, 1, DEPTH, SIDE, SIDE));
    return trainer;
  }

  private static float step(Trainer trainer, NDList[] task) {
    try (GradientCollector collector = trainer.newGradientCollector()) {
      NDList predictions = trainer.forward(task[0]);
      NDArray loss = trainer.getLoss().evaluate(task[1], predictions);
      collector.backward(loss);
      trainer.step();
      return loss.getFloat();
    }
  }

  @Test
  void aFewAdamStepsLowerTheLoss() {
    Engine.getEngine("PyTorch").setRandomSeed(20181);
    try (Model model = Model.newInstance("hdenseunet", cpu, "PyTorch")) {
      model.setBlock(new HDenseUNet(HDenseUNetConfig.cpu()));
      try (Trainer trainer = newTrainer(model, 3e-3f)) {
        NDList[] task = tinyTask(trainer.getManager());
        List<Float> losses = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 12; i++) {
          losses.add(step(trainer, task));
        }
        System.out.printf(
            "tiny task, 12 Adam steps in %d ms, loss: %s%n",
            (System.nanoTime() - start) / 1_000_000, losses);
        float first = losses.get(0);
        float last = (losses.get(10) + losses.get(11)) / 2;
        assertTrue(last < 0.5f * first, "loss " + first + " → " + last);
      }
    }
  }

  @Test
  void stagesTrainOnlyTheirParameters() {
    try (Model model = Model.newInstance("hdenseunet", cpu, "PyTorch")) {
      HDenseUNet net = new HDenseUNet(TINY);
      model.setBlock(net);
      Block net2d = net.getChildren().get(0).getValue();
      Block net3d = net.getChildren().get(1).getValue();
      Block fusion = net.getChildren().get(2).getValue();
      try (Trainer trainer = newTrainer(model, 1e-3f)) {
        NDList[] task = tinyTask(trainer.getManager());

        net.setStage(HDenseUNet.Stage.TWO_D);
        float[][] before2d = snapshot(net2d);
        float[][] before3d = snapshot(net3d);
        step(trainer, task);
        assertFalse(same(before2d, snapshot(net2d)), "2D branch trains in stage TWO_D");
        assertTrue(same(before3d, snapshot(net3d)), "3D branch frozen in stage TWO_D");

        net.setStage(HDenseUNet.Stage.THREE_D);
        before2d = snapshot(net2d);
        before3d = snapshot(net3d);
        float[][] beforeFusion = snapshot(fusion);
        step(trainer, task);
        assertTrue(same(before2d, snapshot(net2d)), "2D branch, running stats included, frozen");
        assertFalse(same(before3d, snapshot(net3d)), "3D branch trains in stage THREE_D");
        assertFalse(same(beforeFusion, snapshot(fusion)), "fusion trains in stage THREE_D");
        assertEquals(HDenseUNet.Stage.THREE_D, net.stage());
      }
    }
  }

  private static float[][] snapshot(Block block) {
    return block.getParameters().values().stream()
        .map(Parameter::getArray)
        .map(NDArray::toFloatArray)
        .toArray(float[][]::new);
  }

  private static boolean same(float[][] a, float[][] b) {
    for (int i = 0; i < a.length; i++) {
      if (!Arrays.equals(a[i], b[i])) {
        return false;
      }
    }
    return true;
  }

  @Test
  void savedParametersLoadIntoAFreshNetworkWithIdenticalOutputs(@TempDir Path dir)
      throws Exception {
    float[] expected;
    NDList input;
    try (Model model = Model.newInstance("hdenseunet", cpu, "PyTorch")) {
      model.setBlock(new HDenseUNet(TINY));
      try (Trainer trainer = newTrainer(model, 1e-3f)) {
        NDList[] task = tinyTask(trainer.getManager());
        step(trainer, task); // moves weights and batch-norm running statistics off their defaults
        step(trainer, task);
      }
      input = tinyTask(model.getNDManager())[0];
      expected = infer(model, input);
      model.save(dir, "hdenseunet");
    }
    try (Model reloaded = Model.newInstance("hdenseunet", cpu, "PyTorch")) {
      reloaded.setBlock(new HDenseUNet(TINY));
      reloaded.load(dir, "hdenseunet");
      NDList sameInput = tinyTask(reloaded.getNDManager())[0];
      assertArrayEquals(expected, infer(reloaded, sameInput), 0f);
    }
  }

  private static float[] infer(Model model, NDList input) {
    NDManager manager = model.getNDManager();
    NDList out = model.getBlock().forward(new ParameterStore(manager, false), input, false);
    assertEquals(new Shape(1, 3, DEPTH, SIDE, SIDE), out.get(0).getShape());
    return out.get(0).toFloatArray();
  }
}
