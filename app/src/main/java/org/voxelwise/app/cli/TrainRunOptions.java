package org.voxelwise.app.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every {@code voxelwise train …} command has (a picocli mixin). */
final class TrainRunOptions {
  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(names = "--seed", defaultValue = "1", description = "Run seed (${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--lr",
      defaultValue = "1e-3",
      description = "Adam learning rate (${DEFAULT-VALUE}).")
  float learningRate;

  @Option(
      names = "--checkpoint-every",
      defaultValue = "100",
      paramLabel = "N",
      description = "Steps between checkpoints (${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Option(
      names = "--validate-every",
      defaultValue = "100",
      paramLabel = "N",
      description = "Steps between validations (${DEFAULT-VALUE}).")
  int validateEvery;

  @Option(names = "--resume", description = "Go on from DIR/latest.")
  boolean resume;

  @Option(
      names = "--device",
      defaultValue = "auto",
      description = "auto, cpu or gpu (${DEFAULT-VALUE}).")
  String device;
}
