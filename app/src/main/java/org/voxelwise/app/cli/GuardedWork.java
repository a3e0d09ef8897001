package org.voxelwise.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.progress.OperationCancelledException;
import org.voxelwise.segmentation.engine.DeviceChoice;
import org.voxelwise.segmentation.engine.GpuUnavailableException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Runs a command's work with progress on the command's stderr, and turns bad input, I/O failures
 * and cancellation into exit code 1 with one line on stderr (never a stack trace).
 */
final class GuardedWork {
  /** The work of a command; returns its exit code. */
  interface Work {
    int run(ConsoleProgress progress) throws BadInputException, IOException;
  }

  /** The work of a command that runs a model on the device the user chose. */
  interface DeviceWork {
    int run(DeviceChoice choice, ConsoleProgress progress) throws BadInputException, IOException;
  }

  private GuardedWork() {}

  /**
   * As {@link #run}, for work on the device named by {@code --device}: a name other than auto, cpu
   * or gpu is a usage error (exit 2), and gpu where PyTorch sees no GPU is exit 1 with one line.
   */
  static int runOnDevice(CommandSpec spec, Path ioPath, String device, DeviceWork work) {
    DeviceChoice choice;
    try {
      choice = DeviceChoice.parse(device);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    try {
      return run(spec, ioPath, progress -> work.run(choice, progress));
    } catch (GpuUnavailableException e) {
      spec.commandLine().getErr().println("voxelwise: " + e.getMessage());
      return VoxelwiseCommand.BAD_INPUT;
    }
  }

  /**
   * @param ioPath the file or folder an {@link IOException} is reported against
   */
  static int run(CommandSpec spec, Path ioPath, Work work) {
    PrintWriter err = spec.commandLine().getErr();
    try (ConsoleProgress progress = ConsoleProgress.start(err)) {
      return work.run(progress);
    } catch (BadInputException e) {
      err.println("voxelwise: " + e.getMessage());
    } catch (IOException e) {
      err.println("voxelwise: " + ioPath + ": input/output error (" + e.getMessage() + ")");
    } catch (OperationCancelledException e) {
      err.println("voxelwise: cancelled; nothing written");
    }
    return VoxelwiseCommand.BAD_INPUT;
  }
}
