package org.voxelwise.segmentation.hdenseunet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.voxelwise.segmentation.engine.DeviceChoice;
import org.voxelwise.segmentation.engine.DjlEnvironment;

/** Output shapes of each block of the cpu() configuration, run for real on small inputs. */
class HDenseUNetShapesTest {

  private static final HDenseUNetConfig CPU = HDenseUNetConfig.cpu();
  private static NDManager manager;

  @BeforeAll
  static void start() {
    DjlEnvironment.configure();
    Device cpu = DeviceChoice.CPU.select(0);
    manager = Engine.getEngine("PyTorch").newBaseManager(cpu);
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  /** Initializes the block for the inputs, runs it in inference mode, returns the output shapes. */
  private static Shape[] run(Block block, Shape... inputs) {
    block.initialize(manager, DataType.FLOAT32, inputs);
    NDList in = new NDList();
    for (Shape shape : inputs) {
      in.add(manager.randomNormal(shape));
    }
    NDList out = block.forward(new ParameterStore(manager, false), in, false);
    Shape[] shapes = out.getShapes();
    assertArrayEquals(block.getOutputShapes(inputs), shapes, "declared vs actual output shapes");
    return shapes;
  }

  @Test
  void denseBlockAddsGrowthTimesLayersChannels() {
    assertArrayEquals(
        new Shape[] {new Shape(4, 16 + 3 * 12, 16, 16)},
        run(new DenseBlock(Spatial.PLANE, 3, 12), new Shape(4, 16, 16, 16)));
    assertArrayEquals(
        new Shape[] {new Shape(1, 16 + 2 * 8, 16, 16, 4)},
        run(new DenseBlock(Spatial.SLAB, 2, 8), new Shape(1, 16, 16, 16, 4)));
  }

  @Test
  void transitionsCompressAndHalveInPlaneOnly() {
    assertArrayEquals(
        new Shape[] {new Shape(4, 26, 8, 8)},
        run(DenseUNet.transition(Spatial.PLANE, 26), new Shape(4, 52, 16, 16)));
    // 3D layers run z-last: N×C×H×W×D
    assertArrayEquals(
        new Shape[] {new Shape(1, 16, 8, 8, 4)},
        run(DenseUNet.transition(Spatial.SLAB, 16), new Shape(1, 32, 16, 16, 4)));
  }

  @Test
  void upsamplingRepeatsEachPixelInPlaneAndSlabsRunZLast() {
    NDArray x = manager.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
    NDArray up = Spatial.PLANE.upsample(x);
    assertEquals(new Shape(1, 1, 4, 4), up.getShape());
    assertArrayEquals(
        new float[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, up.toFloatArray(), 0f);
    NDArray slab = manager.arange(2f * 3 * 4 * 5 * 6).reshape(2, 3, 4, 5, 6);
    NDArray layers = Spatial.SLAB.toLayers(slab);
    assertEquals(new Shape(2, 3, 5, 6, 4), layers.getShape());
    assertEquals(Spatial.SLAB.toLayers(slab.getShape()), layers.getShape());
    assertEquals(slab, Spatial.SLAB.fromLayers(layers));
    assertEquals(new Shape(2, 3, 10, 12, 4), Spatial.SLAB.upsample(layers).getShape());
  }

  @Test
  void denseUNet2dReturnsFeaturesAndLogitsAtFullResolution() {
    Shape[] out =
        run(new DenseUNet2D(CPU.net2d(), CPU.hffWidth(), CPU.classes()), new Shape(4, 3, 64, 64));
    assertArrayEquals(new Shape[] {new Shape(4, 16, 64, 64), new Shape(4, 3, 64, 64)}, out);
  }

  @Test
  void denseUNet3dKeepsTheSlabDepth() {
    Shape[] out =
        run(
            new DenseUNet3D(CPU.net3d(), CPU.hffWidth(), CPU.classes()),
            new Shape(1, 4, 4, 64, 64));
    assertArrayEquals(new Shape[] {new Shape(1, 16, 4, 64, 64), new Shape(1, 3, 4, 64, 64)}, out);
    assertArrayEquals(
        new Shape[] {new Shape(1, 16, 3, 64, 64)},
        run(DenseUNet3D.featuresOnly(CPU.net3d(), CPU.hffWidth()), new Shape(1, 4, 3, 64, 64)));
  }

  @Test
  void fusionGivesClassLogits() {
    Shape features = new Shape(1, 16, 4, 64, 64);
    assertArrayEquals(
        new Shape[] {new Shape(1, 3, 4, 64, 64)},
        run(new HybridFeatureFusion(16, 0.3f, 3), features, features));
  }

  @Test
  void hDenseUNetOutputsDependOnTheStage() {
    Shape slab = new Shape(1, 1, 4, 64, 64);
    Shape logits = new Shape(1, 3, 4, 64, 64);
    HDenseUNet net = new HDenseUNet(CPU);
    assertArrayEquals(new Shape[] {logits, logits}, run(net, slab));
    net.setStage(HDenseUNet.Stage.THREE_D);
    assertArrayEquals(new Shape[] {logits}, run(net, slab));
    net.setStage(HDenseUNet.Stage.TWO_D);
    assertArrayEquals(new Shape[] {logits}, run(net, slab));
  }

  @Test
  void neighbourSlicesRepeatTheEndSlicesAndRestackInverts() {
    // two slabs of three 1×1 slices: values 0,1,2 and 10,11,12
    NDArray slab = manager.create(new float[] {0, 1, 2, 10, 11, 12}, new Shape(2, 1, 3, 1, 1));
    NDArray slices = HDenseUNet.neighbourSlices(slab);
    assertEquals(new Shape(6, 3, 1, 1), slices.getShape());
    assertArrayEquals(
        new float[] {0, 0, 1, 0, 1, 2, 1, 2, 2, 10, 10, 11, 10, 11, 12, 11, 12, 12},
        slices.toFloatArray(),
        0f);
    NDArray centres = slices.get(":, 1:2");
    assertEquals(slab, HDenseUNet.restack(centres, 2));
  }

  @Test
  void inPlaneSizesMustFitTheEncoders() {
    assertEquals(32, CPU.inPlaneMultiple());
    assertThrows(IllegalArgumentException.class, () -> CPU.inputShape(1, 48, 64));
    HDenseUNet net = new HDenseUNet(CPU);
    assertThrows(
        IllegalArgumentException.class,
        () -> net.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 4, 48, 64)));
  }

  @Test
  void presetsHaveTheExpectedSize() {
    HDenseUNet cpu = new HDenseUNet(CPU);
    cpu.initialize(manager, DataType.FLOAT32, CPU.inputShape(1, 32, 32));
    long cpuCount = cpu.parameterCount();

    HDenseUNetConfig paperConfig = HDenseUNetConfig.paper();
    HDenseUNet paper = new HDenseUNet(paperConfig);
    long start = System.nanoTime();
    paper.initialize(manager, DataType.FLOAT32, paperConfig.inputShape(1, 32, 32));
    long paperCount = paper.parameterCount();
    System.out.printf(
        "parameters: cpu() %,d (2D %,d, 3D %,d, HFF %,d); paper() %,d (2D %,d, 3D %,d, HFF %,d),"
            + " paper init %d ms%n",
        cpuCount,
        HDenseUNet.parameterCount(cpu.getChildren().get(0).getValue()),
        HDenseUNet.parameterCount(cpu.getChildren().get(1).getValue()),
        HDenseUNet.parameterCount(cpu.getChildren().get(2).getValue()),
        paperCount,
        HDenseUNet.parameterCount(paper.getChildren().get(0).getValue()),
        HDenseUNet.parameterCount(paper.getChildren().get(1).getValue()),
        HDenseUNet.parameterCount(paper.getChildren().get(2).getValue()),
        (System.nanoTime() - start) / 1_000_000);
    paper.clear();
    assertTrue(cpuCount > 300_000 && cpuCount < 1_500_000, "cpu(): " + cpuCount);
    assertTrue(paperCount > 30_000_000 && paperCount < 100_000_000, "paper(): " + paperCount);
  }
}
