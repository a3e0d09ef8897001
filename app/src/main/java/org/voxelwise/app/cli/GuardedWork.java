package org.voxelwise.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.progress.OperationCancelledException;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Runs a command's work with progress on the command's stderr, and turns bad input, I/O failures
 * and cancellation into exit code 1 with one line on stderr (never a stack trace).
 */
final class GuardedWork {
  /** The work of a command; returns its exit code. */
  interface Work {
    int run(ConsoleProgress progress) throws BadInputException, IOException;
  }

  private GuardedWork() {}

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
