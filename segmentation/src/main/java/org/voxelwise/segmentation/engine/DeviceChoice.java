package org.voxelwise.segmentation.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * The device the user asks a model to run on ({@code --device auto|cpu|gpu}) and the rule that
 * turns it into a DJL {@link Device}: {@link #AUTO} takes the first GPU when PyTorch sees one and
 * the CPU otherwise, {@link #CPU} always takes the CPU, and {@link #GPU} takes the first GPU or
 * fails with {@link GpuUnavailableException}.
 */
public enum DeviceChoice {
  /** The first GPU if there is one, else the CPU. */
  AUTO,
  /** The CPU. */
  CPU,
  /** The first GPU; an error if there is none. */
  GPU;

  /**
   * Parses the user's request, ignoring case and surrounding blanks.
   *
   * @param text {@code auto}, {@code cpu} or {@code gpu}
   * @return the matching choice
   * @throws IllegalArgumentException if {@code text} is null or none of the three
   */
  public static DeviceChoice parse(String text) {
    if (text != null) {
      for (DeviceChoice choice : values()) {
        if (choice.name().equalsIgnoreCase(text.strip())) {
          return choice;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown device '" + text + "': expected one of auto, cpu, gpu");
  }

  /**
   * The device to run on, given how many GPUs PyTorch sees. A pure function of this choice and
   * {@code gpuCount}.
   *
   * @param gpuCount the number of GPUs visible to PyTorch, 0 or more
   * @return {@code gpu(0)} or {@code cpu()}
   * @throws GpuUnavailableException if this is {@link #GPU} and {@code gpuCount} is 0
   * @throws IllegalArgumentException if {@code gpuCount} is negative
   */
  public Device select(int gpuCount) {
    if (gpuCount < 0) {
      throw new IllegalArgumentException("gpuCount must be 0 or more, got " + gpuCount);
    }
    return switch (this) {
      case CPU -> Device.cpu();
      case GPU -> {
        if (gpuCount == 0) {
          throw new GpuUnavailableException();
        }
        yield Device.gpu(0);
      }
      case AUTO -> gpuCount > 0 ? Device.gpu(0) : Device.cpu();
    };
  }

  /**
   * The device to run on on this machine: configures DJL ({@link DjlEnvironment#configure()}), asks
   * the default engine how many GPUs it sees, and applies {@link #select(int)}.
   *
   * @return {@code gpu(0)} or {@code cpu()}
   * @throws GpuUnavailableException if this is {@link #GPU} and PyTorch sees no GPU
   */
  public Device select() {
    DjlEnvironment.configure();
    return select(Engine.getInstance().getGpuCount());
  }

  /**
   * Says which kind of device ran, as {@code report.json} writes it.
   *
   * @param device the device a model ran on
   * @return {@code "gpu"} for a GPU, {@code "cpu"} otherwise
   */
  public static String reportName(Device device) {
    return device.isGpu() ? "gpu" : "cpu";
  }
}
