package org.voxelwise.segmentation.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceChoiceTest {

  @ParameterizedTest
  @CsvSource({
    "auto, AUTO",
    "cpu, CPU",
    "gpu, GPU",
    "AUTO, AUTO",
    "' Gpu ', GPU",
    "Cpu, CPU",
  })
  void parsesTheThreeChoicesIgnoringCaseAndBlanks(String text, DeviceChoice expected) {
    assertEquals(expected, DeviceChoice.parse(text));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"cuda", "gpu0", "gpu:0", "tpu", " "})
  void rejectsAnythingElseNamingTheChoices(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DeviceChoice.parse(text));
    assertTrue(e.getMessage().contains("auto, cpu, gpu"), e.getMessage());
  }

  @ParameterizedTest(name = "{0} with {1} GPUs -> {2}")
  @CsvSource({
    "AUTO, 0, cpu", "AUTO, 1, gpu", "AUTO, 4, gpu",
    "CPU, 0, cpu", "CPU, 1, cpu", "CPU, 4, cpu",
    "GPU, 1, gpu", "GPU, 4, gpu",
  })
  void decisionTable(DeviceChoice choice, int gpuCount, String expected) {
    Device expectedDevice = expected.equals("gpu") ? Device.gpu(0) : Device.cpu();
    Device device = choice.select(gpuCount);
    assertEquals(expectedDevice, device);
    assertEquals(expected, DeviceChoice.reportName(device));
  }

  @Test
  void gpuWithoutAnyGpuIsAClearError() {
    GpuUnavailableException e =
        assertThrows(GpuUnavailableException.class, () -> DeviceChoice.GPU.select(0));
    assertTrue(e.getMessage().startsWith("--device gpu: no CUDA GPU is visible"), e.getMessage());
    assertTrue(e.getMessage().contains("-Pcuda"), e.getMessage());
    assertTrue(e.getMessage().contains("CUDA 12.4"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"AUTO", "CPU", "GPU"})
  void negativeGpuCountIsRejected(DeviceChoice choice) {
    assertThrows(IllegalArgumentException.class, () -> choice.select(-1));
  }

  @Test
  void reportNameOfOtherGpusIsGpu() {
    assertEquals("gpu", DeviceChoice.reportName(Device.gpu(3)));
    assertEquals("cpu", DeviceChoice.reportName(Device.cpu()));
  }
}
