package org.voxelwise.app.cli;

import ai.djl.Device;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.voxelwise.imaging.simulate.AbdominalPhantom;
import org.voxelwise.segmentation.engine.DeviceChoice;
import org.voxelwise.segmentation.engine.GpuUnavailableException;
import org.voxelwise.segmentation.rstar.Rstar4dModelCard;
import org.voxelwise.segmentation.train.HDenseUNetTraining;
import org.voxelwise.segmentation.train.Rstar4dTraining;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code voxelwise train rstar4d --out DIR …} ({@link Rstar4dTraining}) and {@code voxelwise train
 * hdenseunet --out DIR [--steps2d N --steps3d N --stepsE2E N] [--crop N] [--resume] [--seed S]
 * [--device auto|cpu|gpu] [--size XxYxZ --spacing XxYxZ] ...}: trains the CPU-sized liver/tumor
 * H-DenseUNet on the abdominal CT simulator ({@link HDenseUNetTraining}); progress on stderr.
 * Ctrl-C stops after the current step with a checkpoint; {@code --resume} goes on from it.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Trains a network on simulated data.",
    subcommands = {TrainCommand.HDenseUNetCommand.class, TrainCommand.Rstar4dCommand.class})
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

    @Option(
        names = "--dice",
        defaultValue = "0",
        description = "Weight of the soft Dice loss term (${DEFAULT-VALUE}).")
    float diceWeight;

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

    @Mixin TrainRunOptions run;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      HDenseUNetTraining.Options defaults =
          HDenseUNetTraining.Options.cpu(
              run.out,
              steps2d,
              steps3d,
              stepsE2E,
              crop,
              run.seed,
              run.resume,
              "voxelwise " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
      return train(
          spec,
          run,
          () ->
              new HDenseUNetTraining.Options(
                  defaults.out(),
                  defaults.config(),
                  steps2d,
                  steps3d,
                  stepsE2E,
                  crop,
                  defaults.batch(),
                  run.seed,
                  run.learningRate,
                  diceWeight,
                  run.checkpointEvery,
                  run.validateEvery,
                  phantom(),
                  poolSize,
                  defaults.replaceEvery(),
                  defaults.validationSeeds(),
                  validationTile,
                  run.resume,
                  defaults.command()),
          (options, device) -> {
            HDenseUNetTraining training = new HDenseUNetTraining(options, device, err);
            return new Trainer(training::run, training::requestStop);
          });
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

  /** {@code voxelwise train rstar4d}. */
  @Command(
      name = "rstar4d",
      mixinStandardHelpOptions = true,
      description = {
        "Trains the 4D CBCT streak-reduction network RSTAR4D-Net (cpu() size) or its 3D ablation"
            + " on the 4D CBCT simulator, \"Tetris\" style: stage 1 on 2D+T slices (z branches"
            + " off), stage 2 on 4D blocks (z branches on). Writes DIR/latest/ and DIR/best/"
            + " (model.json + rstar4d-NNNN.params), DIR/loss.csv, DIR/validation.csv (PSNR inside"
            + " the body on seeds 9990-9999) and DIR/state.json.",
        "Ctrl-C stops after the current step with a checkpoint; --resume goes on from it."
      })
  static final class Rstar4dCommand implements Callable<Integer> {
    @Option(
        names = "--variant",
        defaultValue = "rstar4d",
        paramLabel = "rstar4d|ablation3d",
        description = "rstar4d, or ablation3d (no t branches) (${DEFAULT-VALUE}).")
    String variant;

    @Option(
        names = "--steps1",
        defaultValue = "300",
        description = "Stage-1 steps, 2D+T slices (${DEFAULT-VALUE}).")
    int steps1;

    @Option(
        names = "--steps2",
        defaultValue = "200",
        description = "Stage-2 steps, 4D blocks (${DEFAULT-VALUE}).")
    int steps2;

    @Option(
        names = "--crop",
        defaultValue = "64",
        description = "In-plane side of the stage-1 crops, a multiple of 4 (${DEFAULT-VALUE}).")
    int crop;

    @Option(
        names = "--batch",
        defaultValue = "4",
        description = "Stage-1 slices per step (${DEFAULT-VALUE}).")
    int batch;

    @Option(
        names = "--blocks",
        defaultValue = "8x64,4x96",
        paramLabel = "DxS,…",
        description =
            "Stage-2 block sizes, depth x in-plane side, used in turn (${DEFAULT-VALUE}).")
    String blocks;

    @Option(
        names = "--pool",
        defaultValue = "6",
        paramLabel = "N",
        description = "Simulated cases held at once (${DEFAULT-VALUE}).")
    int poolSize;

    @Option(
        names = "--case-slices",
        defaultValue = "12",
        paramLabel = "N",
        description = "Consecutive slices simulated per training case (${DEFAULT-VALUE}).")
    int caseSlices;

    @Option(
        names = "--size",
        defaultValue = "256x256x64",
        paramLabel = "XxYxZ",
        description = "The simulated scan's grid (default ${DEFAULT-VALUE}, 1.5×1.5×2.5 mm).")
    String size;

    @Option(
        names = "--projections",
        defaultValue = "600",
        description = "Projections per simulated scan (${DEFAULT-VALUE}).")
    int projections;

    @Option(
        names = "--validation-cases",
        defaultValue = "10",
        paramLabel = "N",
        description = "Validation cases, seeds 9990 on (1 to 10, default ${DEFAULT-VALUE}).")
    int validationCases;

    @Option(
        names = "--validation-slices",
        defaultValue = "2",
        paramLabel = "N",
        description = "Slices per validation block (${DEFAULT-VALUE}).")
    int validationSlices;

    @Option(
        names = "--validation-tile",
        defaultValue = "128",
        paramLabel = "N",
        description = "In-plane side of the validation blocks (${DEFAULT-VALUE}).")
    int validationTile;

    @Mixin TrainRunOptions run;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      int[] n = XyzOption.size(spec, "--size", size, "256x256x64");
      return train(
          spec,
          run,
          () -> {
            Rstar4dModelCard.Variant v = Rstar4dModelCard.Variant.parse(variant);
            Rstar4dTraining.Options defaults =
                Rstar4dTraining.Options.cpu(
                    run.out,
                    v,
                    steps1,
                    steps2,
                    crop,
                    run.seed,
                    run.resume,
                    "voxelwise "
                        + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
            if (validationCases < 1 || validationCases > 10) {
              throw new IllegalArgumentException("--validation-cases must be 1 to 10");
            }
            return new Rstar4dTraining.Options(
                defaults.out(),
                v,
                defaults.config(),
                steps1,
                steps2,
                crop,
                batch,
                blockSizes(),
                run.seed,
                run.learningRate,
                run.checkpointEvery,
                run.validateEvery,
                defaults.simulation().withSize(n[0], n[1], n[2]).withProjections(projections),
                caseSlices,
                poolSize,
                defaults.replaceEvery(),
                Arrays.copyOf(Rstar4dTraining.Options.VALIDATION_SEEDS, validationCases),
                validationSlices,
                validationTile,
                run.resume,
                defaults.command());
          },
          (options, device) -> {
            Rstar4dTraining training = new Rstar4dTraining(options, device, err);
            return new Trainer(training::run, training::requestStop);
          });
    }

    private int[][] blockSizes() {
      String[] parts = blocks.split(",");
      int[][] sizes = new int[parts.length][];
      try {
        for (int i = 0; i < parts.length; i++) {
          String[] ds = parts[i].strip().toLowerCase(Locale.ROOT).split("x");
          if (ds.length != 2) {
            throw new NumberFormatException();
          }
          sizes[i] = new int[] {Integer.parseInt(ds[0].strip()), Integer.parseInt(ds[1].strip())};
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--blocks needs depth x side pairs like 8x64,4x96: " + blocks, e);
      }
      return sizes;
    }
  }

  /** A trainer as {@link #runToTheEnd} drives it: its work and the request to stop early. */
  record Trainer(Work work, Runnable requestStop) {}

  /**
   * Builds a run's options, chooses its device and trains to the end ({@link #runToTheEnd}): an
   * option out of range (an IllegalArgumentException from {@code options}) or an unknown device is
   * a usage error (exit 2), a GPU asked for but missing is bad input (exit 1).
   */
  static <O> int train(
      CommandSpec spec,
      TrainRunOptions run,
      Supplier<O> options,
      BiFunction<O, Device, Trainer> trainer) {
    PrintWriter err = spec.commandLine().getErr();
    O parsed;
    Device chosen;
    try {
      parsed = options.get();
      chosen = DeviceChoice.parse(run.device).select();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    } catch (GpuUnavailableException e) {
      err.println("voxelwise: " + e.getMessage());
      return VoxelwiseCommand.BAD_INPUT;
    }
    Trainer started = trainer.apply(parsed, chosen);
    return runToTheEnd(err, run.out, started.work(), started.requestStop());
  }

  /** A training run's work; throws what the trainers' {@code run()} throw. */
  interface Work {
    void run() throws IOException, InterruptedException;
  }

  /**
   * Runs a training to its end, Ctrl-C asking it to stop after the current step with a checkpoint
   * (the JVM's shutdown waits up to 5 minutes for it); a folder that holds another run, nothing to
   * resume, an I/O failure or an interruption give exit code 1 with one line on stderr.
   */
  static int runToTheEnd(PrintWriter err, Path out, Work work, Runnable requestStop) {
    CountDownLatch finished = new CountDownLatch(1);
    Thread onInterrupt =
        new Thread(
            () -> {
              requestStop.run();
              try {
                finished.await(5, TimeUnit.MINUTES);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "train-stop");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    try {
      work.run();
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
}
