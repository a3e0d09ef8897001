package org.voxelwise.segmentation.rstar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.voxelwise.segmentation.rstar.RstarTestSupport.assertClose;
import static org.voxelwise.segmentation.rstar.RstarTestSupport.forward;
import static org.voxelwise.segmentation.rstar.RstarTestSupport.init;
import static org.voxelwise.segmentation.rstar.RstarTestSupport.perturb;
import static org.voxelwise.segmentation.rstar.RstarTestSupport.roll;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxelwise.segmentation.engine.DjlEnvironment;

/**
 * RSTAR4D-Net: shapes and parameter counts, equivariance to rolling the phases, the 3D ablation's
 * independence of phases, the zero-initialised z branches, save → load.
 */
class Rstar4dNetTest {

  /** Two levels, widths 4 and 8: the structure of the paper's network at a tiny size. */
  static final Rstar4dConfig TINY = new Rstar4dConfig(new int[] {4, 8}, true, true, 0.2f);

  @BeforeAll
  static void start() {
    DjlEnvironment.configure();
    Engine.getEngine("PyTorch").setRandomSeed(4);
  }

  private static NDManager manager() {
    return NDManager.newBaseManager(Device.cpu(), "PyTorch");
  }

  @Test
  void shapesOfTheCpuNetworkWithAndWithoutZ() {
    try (NDManager manager = manager()) {
      Rstar4dNet net = new Rstar4dNet(Rstar4dConfig.cpu());
      Shape shape = net.inputShape(1, 10, 4, 32, 32);
      init(net, manager, shape);
      NDArray y = forward(net, manager, manager.randomNormal(shape));
      assertEquals(new Shape(1, 1, 10, 4, 32, 32), y.getShape());
      assertEquals(y.getShape(), net.getOutputShapes(new Shape[] {shape})[0]);

      net.setZEnabled(false);
      assertFalse(net.isZEnabled());
      Shape slices = net.inputShape(1, 10, 1, 32, 32);
      assertEquals(
          new Shape(1, 1, 10, 1, 32, 32),
          forward(net, manager, manager.randomNormal(slices)).getShape());
      assertThrows(IllegalArgumentException.class, () -> net.inputShape(1, 10, 1, 30, 32));
      assertThrows(
          IllegalArgumentException.class,
          () -> net.getOutputShapes(new Shape[] {new Shape(1, 1, 10, 1, 32, 32)}));
    }
  }

  @Test
  void parameterCounts() {
    try (NDManager manager = manager()) {
      Rstar4dNet paper = new Rstar4dNet(Rstar4dConfig.paper());
      init(paper, manager, paper.inputShape(1, 2, 1, 8, 8));
      Rstar4dNet cpu = new Rstar4dNet(Rstar4dConfig.cpu());
      init(cpu, manager, cpu.inputShape(1, 2, 1, 8, 8));
      Rstar4dNet ablation = new Rstar4dNet(Rstar4dConfig.paper().withTEnabled(false));
      init(ablation, manager, ablation.inputShape(1, 2, 1, 8, 8));
      System.out.printf(
          "parameters: paper %d, cpu %d, paper without t %d%n",
          paper.parameterCount(), cpu.parameterCount(), ablation.parameterCount());
      // per separable convolution c → f: 9cf + f (in-plane), 3cf (z), 3cf (t)
      assertEquals(1_949_009, paper.parameterCount());
      assertEquals(118_697, cpu.parameterCount());
      assertEquals(1_559_537, ablation.parameterCount());
    }
  }

  @Test
  void rollingThePhasesRollsTheOutputWrapAroundIncluded() {
    try (NDManager manager = manager()) {
      Rstar4dNet net = new Rstar4dNet(TINY);
      Shape shape = net.inputShape(1, 5, 2, 8, 8);
      init(net, manager, shape);
      perturb(net, manager, 0.1f); // z branches off zero too
      NDArray x = manager.randomNormal(shape);
      NDArray y = forward(net, manager, x);
      for (int k : new int[] {1, 3}) {
        assertClose(roll(y, k, 2), forward(net, manager, roll(x, k, 2)), 1e-5f);
      }
    }
  }

  /** The input with phase {@code t} replaced by noise. */
  private static NDArray changePhase(NDManager manager, NDArray x, int t) {
    NDArray noise = manager.randomNormal(x.get(":, :, " + t + ":" + (t + 1)).getShape());
    return NDArrays.concat(
        new NDList(x.get(":, :, :" + t), noise, x.get(":, :, " + (t + 1) + ":")), 2);
  }

  @Test
  void theAblationProcessesEachPhaseOnItsOwn() {
    try (NDManager manager = manager()) {
      Rstar4dNet ablation = new Rstar4dNet(TINY.withTEnabled(false));
      Rstar4dNet full = new Rstar4dNet(TINY);
      Shape shape = ablation.inputShape(1, 5, 2, 8, 8);
      init(ablation, manager, shape);
      init(full, manager, shape);
      perturb(ablation, manager, 0.1f);
      NDArray x = manager.randomNormal(shape);
      NDArray changed = changePhase(manager, x, 3);
      NDArray before = forward(ablation, manager, x);
      NDArray after = forward(ablation, manager, changed);
      for (int t = 0; t < 5; t++) {
        String phase = ":, :, " + t + ":" + (t + 1);
        boolean same = before.get(phase).contentEquals(after.get(phase));
        assertEquals(t != 3, same, "phase " + t);
      }
      // with the t branches, phase 3 reaches its neighbours 2 and 4 (and, at depth, all)
      NDArray fullBefore = forward(full, manager, x);
      NDArray fullAfter = forward(full, manager, changed);
      assertFalse(fullBefore.get(":, :, 2:3").contentEquals(fullAfter.get(":, :, 2:3")));
    }
  }

  @Test
  void switchingZOnAfterTrainingWithoutItChangesNothing() {
    try (NDManager manager = manager()) {
      Rstar4dNet net = new Rstar4dNet(TINY.withZEnabled(false));
      Shape shape = net.inputShape(1, 3, 3, 8, 8);
      init(net, manager, shape);
      NDArray x = manager.randomNormal(shape);
      NDArray without = forward(net, manager, x);
      net.setZEnabled(true);
      assertTrue(net.isZEnabled());
      assertTrue(without.contentEquals(forward(net, manager, x)));
    }
  }

  @Test
  void savedParametersLoadWithIdenticalOutputs(@TempDir Path dir) throws Exception {
    float[] expected;
    float[] input;
    Shape shape;
    try (Model model = Model.newInstance("rstar", Device.cpu(), "PyTorch")) {
      Rstar4dNet net = new Rstar4dNet(TINY);
      model.setBlock(net);
      NDManager manager = model.getNDManager();
      shape = net.inputShape(1, 4, 2, 8, 8);
      init(net, manager, shape);
      perturb(net, manager, 0.1f);
      NDArray x = manager.randomNormal(shape);
      input = x.toFloatArray();
      expected = forward(net, manager, x).toFloatArray();
      model.save(dir, "rstar");
    }
    try (Model model = Model.newInstance("rstar", Device.cpu(), "PyTorch")) {
      Rstar4dNet net = new Rstar4dNet(TINY);
      model.setBlock(net);
      model.load(dir, "rstar");
      NDManager manager = model.getNDManager();
      NDArray y = forward(net, manager, manager.create(input, shape));
      assertEquals(Arrays.toString(expected), Arrays.toString(y.toFloatArray()));
    }
  }
}
