package org.voxelwise.app.cli;

import org.voxelwise.segmentation.engine.DeviceChoice;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The {@code --device auto|cpu|gpu} option of the commands that run a network ({@code segment},
 * {@code destreak}, {@code evaluate}), as a picocli mixin.
 */
final class DeviceOption {

  @Option(
      names = "--device",
      paramLabel = "auto|cpu|gpu",
      defaultValue = "auto",
      description = "Where the network runs (default auto: the GPU if PyTorch sees one).")
  String device;

  /**
   * The device asked for.
   *
   * @param spec the command, for the usage error
   * @throws ParameterException (exit code 2) for anything but auto, cpu or gpu
   */
  DeviceChoice choice(CommandSpec spec) {
    try {
      return DeviceChoice.parse(device);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
