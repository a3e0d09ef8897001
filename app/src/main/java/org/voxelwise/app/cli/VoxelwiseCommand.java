package org.voxelwise.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code voxelwise} command line. Exit codes: 0 ok, 1 bad input (one line on stderr), 2 usage,
 * 3 internal error.
 */
@Command(
    name = "voxelwise",
    mixinStandardHelpOptions = true,
    version = "Voxelwise 0.1.0",
    description = "CT and CBCT viewer, segmentation and 4D destreaking.",
    subcommands = {
      ViewCommand.class,
      InfoCommand.class,
      ConvertCommand.class,
      SimulateCommand.class,
      SegmentCommand.class,
      DestreakCommand.class,
      EvaluateCommand.class,
      TrainCommand.class
    })
public final class VoxelwiseCommand implements Callable<Integer> {
  public static final int OK = 0;
  public static final int BAD_INPUT = 1;
  public static final int USAGE = 2;
  public static final int INTERNAL_ERROR = 3;

  @Override
  public Integer call() {
    return new ViewCommand().call();
  }

  /** Runs the command line on System.out and System.err and returns its exit code; never throws. */
  public static int run(String... args) {
    return execute(new CommandLine(new VoxelwiseCommand()), args);
  }

  /**
   * Runs the command line with its standard output and error (progress included) going to the given
   * writers, and returns its exit code; never throws. For callers that run commands in process and
   * need what they print, such as tests.
   */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new VoxelwiseCommand());
    cl.setOut(out);
    cl.setErr(err);
    return execute(cl, args);
  }

  private static int execute(CommandLine cl, String... args) {
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          err.println("voxelwise: internal error: " + ex);
          if (System.getenv("VOXELWISE_DEBUG") != null) {
            ex.printStackTrace(err);
          } else {
            err.println(
                "  (please report it with the command you ran; VOXELWISE_DEBUG=1 shows details)");
          }
          err.flush();
          return INTERNAL_ERROR;
        });
    return cl.execute(args);
  }
}
