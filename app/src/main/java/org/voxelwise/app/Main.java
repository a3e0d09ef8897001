package org.voxelwise.app;

import org.voxelwise.app.cli.VoxelwiseCommand;

/** Entry point of the launcher: the command line, and the viewer when no command is given. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(VoxelwiseCommand.run(args));
  }
}
