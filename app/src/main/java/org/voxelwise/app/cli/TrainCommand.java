package org.voxelwise.app.cli;

import ai.djl.Device;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.voxelwise.imaging.simulate.AbdominalPhantom;
import org.voxelwise.segmentation.engine.DeviceChoice;
import org.voxelwise.segmentation.engine.GpuUnavailableException;
import org.voxelwise.segmentation.train.HDenseUNetTraining;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code voxelwise train hdenseunet --out DIR [--steps2d N --steps3d N --stepsE2E N] [--crop N]
 * [--resume] [--seed S] [--device auto|cpu|gpu] [--size XxYxZ --spacing XxYxZ] ...}: trains the
 * CPU-sized liver/tumor H-DenseUNet on the abdominal CT simulator ({@link HDenseUNetTraining});
 * progress on stderr. Ctrl-C stops after the current step with a checkpoint; {@code --resume} goes
 * on from it.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Trains a network on simulated data.",
    subcommands = {TrainCommand.HDenseUNetCommand.class})
final class TrainCommand {

  /** {@code voxelwise train hdenseunet}. */
  @Command(
      name = "hdenseunet",
      mixinStandardHelpOptions = true,
      description =
          "Trains the liver/tumor H-DenseUNet (cpu() size) on the abdominal CT phantom, 2D stage,"
              + " then 3D, then end to end. Writes DIR/latest/ and DIR/best/ (model.json +"
              + " hdenseunet-NNNN.params), DIR/loss.csv, DIR/validation.csv and DIR/state.json.")
  static final class HDenseUNetCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--steps2d", defaultValue = "600", description = "2D steps (${DEFAULT-VALUE}).")
    int steps2d;

    @Option(names = "--steps3d", defaultValue = "300", description = "3D steps (${DEFAULT-VALUE}).")
    int steps3d;

    @Option(
        names = "--stepsE2E",
        defaultValue = "300",
        description = "End-to-end steps (${DEFAULT-VALUE}).")
    int stepsE2E;

    @Option(
        names = "--crop",
        defaultValue = "128",
        description = "In-plane crop side, a multiple of 32 (${DEFAULT-VALUE}).")
    int crop;

    @Option(names = "--seed", defaultValue = "1", description = "Run seed (${DEFAULT-VALUE}).")
    long seed;

    @Option(
        names = "--lr",
        defaultValue = "1e-3",
        description = "Adam learning rate (${DEFAULT-VALUE}).")
    float learningRate;

    @Option(
        names = "--dice",
        defaultValue = "0",
        description = "Weight of the soft Dice loss term (${DEFAULT-VALUE}).")
    float diceWeight;

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

    @Option(
        names = "--pool",
        defaultValue = "8",
        paramLabel = "N",
        description = "Simulated cases held at once (${DEFAULT-VALUE}).")
    int poolSize;

    @Option(
        names = "--validation-tile",
        defaultValue = "256",
        paramLabel = "N",
        description = "In-plane side of the validation slabs, a multiple of 32 (${DEFAULT-VALUE}).")
    int validationTile;

    @Option(
        names = "--size",
        defaultValue = "256x256x100",
        paramLabel = "XxYxZ",
        description = "Phantom columns, rows and slices (default ${DEFAULT-VALUE}).")
    String size;

    @Option(
        names = "--spacing",
        defaultValue = "1.5x1.5x2.5",
        paramLabel = "XxYxZ",
        description =
            "Phantom voxel spacing in mm, recorded as the model's input spacing (default"
                + " ${DEFAULT-VALUE}).")
    String spacing;

    @Option(names = "--resume", description = "Go on from DIR/latest.")
    boolean resume;

    @Option(
        names = "--device",
        defaultValue = "auto",
        description = "auto, cpu or gpu (${DEFAULT-VALUE}).")
    String device;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      HDenseUNetTraining.Options defaults =
          HDenseUNetTraining.Options.cpu(
              out,
              steps2d,
              steps3d,
              stepsE2E,
              crop,
              seed,
              resume,
              "voxelwise " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
      HDenseUNetTraining.Options options;
      Device chosen;
      try {
        options =
            new HDenseUNetTraining.Options(
                defaults.out(),
                defaults.config(),
                steps2d,
                steps3d,
                stepsE2E,
                crop,
                defaults.batch(),
                seed,
                learningRate,
                diceWeight,
                checkpointEvery,
                validateEvery,
                phantom(),
                poolSize,
                defaults.replaceEvery(),
                defaults.validationSeeds(),
                validationTile,
                resume,
                defaults.command());
        chosen = DeviceChoice.parse(device).select();
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      } catch (GpuUnavailableException e) {
        err.println("voxelwise: " + e.getMessage());
        return VoxelwiseCommand.BAD_INPUT;
      }
      HDenseUNetTraining training = new HDenseUNetTraining(options, chosen, err);
      CountDownLatch finished = new CountDownLatch(1);
      Thread onInterrupt =
          new Thread(
              () -> {
                training.requestStop();
                try {
                  finished.await(5, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "train-stop");
      Runtime.getRuntime().addShutdownHook(onInterrupt);
      try {
        training.run();
        return VoxelwiseCommand.OK;
      } catch (IllegalStateException e) {
        err.println("voxelwise: " + e.getMessage());
        return VoxelwiseCommand.BAD_INPUT;
      } catch (IOException e) {
        err.println("voxelwise: " + out + ": input/output error (" + e.getMessage() + ")");
        return VoxelwiseCommand.BAD_INPUT;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        err.println("voxelwise: interrupted");
        return VoxelwiseCommand.BAD_INPUT;
      } finally {
        finished.countDown();
        try {
          Runtime.getRuntime().removeShutdownHook(onInterrupt);
        } catch (IllegalStateException e) {
          // the JVM is already shutting down: the hook is running and waits for this run
        }
      }
    }

    private AbdominalPhantom.Parameters phantom() {
      double[] n = triple(size, "--size");
      for (double v : n) {
        if (v != Math.rint(v)) {
          throw new IllegalArgumentException(
              "--size needs whole numbers like 256x256x100: " + size);
        }
      }
      return AbdominalPhantom.Parameters.defaults()
          .withSize((int) n[0], (int) n[1], (int) n[2])
          .withSpacing(triple(spacing, "--spacing"));
    }

    private static double[] triple(String text, String option) {
      String[] parts = text.toLowerCase(Locale.ROOT).split("x");
      double[] v = new double[3];
      try {
        if (parts.length != 3) {
          throw new NumberFormatException();
        }
        for (int i = 0; i < 3; i++) {
          v[i] = Double.parseDouble(parts[i].trim());
          if (!(v[i] > 0) || Double.isInfinite(v[i])) {
            throw new NumberFormatException();
          }
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            option + " needs three numbers > 0 like 1x2x3: " + text, e);
      }
      return v;
    }
  }
}
