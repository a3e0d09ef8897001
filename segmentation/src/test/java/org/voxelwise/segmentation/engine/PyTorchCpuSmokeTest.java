package org.voxelwise.segmentation.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Loads the real PyTorch natives offline from the cache and runs a tensor op on the CPU. */
class PyTorchCpuSmokeTest {

  @BeforeAll
  static void configureDjl() {
    DjlEnvironment.configure();
  }

  @Test
  void matmulRunsOnTheCpuWithThePyTorchEngine() {
    Engine engine = Engine.getEngine("PyTorch");
    try (NDManager manager = engine.newBaseManager(DeviceChoice.CPU.select(0))) {
      NDArray a = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
      NDArray b = manager.create(new float[] {7, 8, 9, 10, 11, 12}, new Shape(3, 2));

      NDArray product = a.matMul(b);

      assertEquals(new Shape(2, 2), product.getShape());
      assertArrayEquals(new float[] {58, 64, 139, 154}, product.toFloatArray(), 0f);
      assertEquals(Device.cpu(), product.getDevice());
      assertEquals("cpu", DeviceChoice.reportName(product.getDevice()));
      assertEquals("PyTorch", product.getManager().getEngine().getEngineName());
    }
  }

  @Test
  void autoOnThisMachineFollowsTheEngineGpuCount() {
    int gpuCount = Engine.getInstance().getGpuCount();

    assertEquals("PyTorch", Engine.getInstance().getEngineName());
    assertEquals(DeviceChoice.AUTO.select(gpuCount), DeviceChoice.AUTO.select());
    assertEquals(Device.cpu(), DeviceChoice.CPU.select());
  }
}
