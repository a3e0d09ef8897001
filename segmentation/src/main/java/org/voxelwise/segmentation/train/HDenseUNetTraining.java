package org.voxelwise.segmentation.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.voxelwise.imaging.simulate.AbdominalPhantom;
import org.voxelwise.segmentation.engine.DjlEnvironment;
import org.voxelwise.segmentation.hdenseunet.HDenseUNet;
import org.voxelwise.segmentation.hdenseunet.HDenseUNet.Stage;
import org.voxelwise.segmentation.hdenseunet.HDenseUNetConfig;
import org.voxelwise.segmentation.hdenseunet.HDenseUNetModelFiles;
import org.voxelwise.segmentation.hdenseunet.ModelCard;
import org.voxelwise.segmentation.hdenseunet.Preprocessing;
import org.voxelwise.segmentation.hdenseunet.SegmentationLoss;

/**
 * Trains an H-DenseUNet on simulated abdominal CT, in the paper's order: {@code steps2d} Adam steps
 * of the 2D branch ({@link Stage#TWO_D}), {@code steps3d} of the 3D branch and fusion ({@link
 * Stage#THREE_D}), {@code stepsE2E} end to end ({@link Stage#END_TO_END}).
 *
 * <p>Data: cases from {@link AbdominalPhantom} with seeds {@code (1000·seed + s + i) mod 9990} (s:
 * the step the run starts or resumes at, i: the case number), so never a validation seed (9990 and
 * up) nor a held-out evaluation seed (10 000 and up), through a {@link CasePool}; each step draws
 * {@code batch} augmented liver-biased crops ({@link CropSampler}). Loss: {@link SegmentationLoss}
 * with the paper's class weights, auxiliary 2D weight 0.5 and {@code diceWeight}. Learning rate: in
 * each stage, {@code learningRate · 0.1^(t / n)} at step t of n (end to end: 0.3 times that).
 *
 * <p>Output folder {@code out}: {@code loss.csv} (step, stage, loss, lr, seconds per step, one line
 * per step), {@code validation.csv} (step, stage, liver and tumor Dice), {@code latest/} (a model
 * folder of {@link HDenseUNetModelFiles}, written every {@code checkpointEvery} steps, at the end
 * of each stage and when stopped), {@code best/} (the model folder with the best validation score
 * so far, {@link Validation.Dice#score()}), {@code state.json} (step, seed, best score and step,
 * time; what resuming needs besides {@code latest/}). Validation runs every {@code validateEvery}
 * steps and at the end of each stage. Resuming loads {@code latest/} and goes on from its step with
 * a fresh optimizer state and random streams seeded from the seed and the step.
 */
public final class HDenseUNetTraining {

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  /**
   * What to train and how.
   *
   * @param out the output folder
   * @param config the network structure
   * @param steps2d steps of stage {@link Stage#TWO_D}, 0 or more
   * @param steps3d steps of stage {@link Stage#THREE_D}, 0 or more
   * @param stepsE2E steps of stage {@link Stage#END_TO_END}, 0 or more
   * @param crop in-plane crop side, a multiple of the network's in-plane multiple
   * @param batch slabs per step, 1 or more
   * @param seed the run's seed
   * @param learningRate Adam's initial learning rate
   * @param diceWeight weight of the soft Dice term of the loss, 0 for none
   * @param checkpointEvery steps between checkpoints of {@code latest/}, 1 or more
   * @param validateEvery steps between validations, 1 or more
   * @param phantom the phantom grid of training and validation cases
   * @param poolSize cases held at once, 1 or more
   * @param replaceEvery steps between case replacements, 1 or more
   * @param validationSeeds phantom seeds of the validation cases (below 10 000)
   * @param validationTile in-plane side of the validation slabs, a multiple of the in-plane
   *     multiple
   * @param resume whether to go on from {@code out/latest}
   * @param command the command line, recorded in the model card
   */
  public record Options(
      Path out,
      HDenseUNetConfig config,
      int steps2d,
      int steps3d,
      int stepsE2E,
      int crop,
      int batch,
      long seed,
      float learningRate,
      float diceWeight,
      int checkpointEvery,
      int validateEvery,
      AbdominalPhantom.Parameters phantom,
      int poolSize,
      int replaceEvery,
      int[] validationSeeds,
      int validationTile,
      boolean resume,
      String command) {

    /** The default validation seeds. */
    public static final int[] VALIDATION_SEEDS = {9990, 9991};

    /**
     * Validates the options.
     *
     * @throws IllegalArgumentException if a value is out of range
     */
    public Options {
      if (steps2d < 0 || steps3d < 0 || stepsE2E < 0 || steps2d + steps3d + stepsE2E < 1) {
        throw new IllegalArgumentException("step counts must be 0 or more, in all 1 or more");
      }
      config.requireInPlane(crop, crop);
      config.requireInPlane(validationTile, validationTile);
      if (batch < 1
          || checkpointEvery < 1
          || validateEvery < 1
          || poolSize < 1
          || replaceEvery < 1) {
        throw new IllegalArgumentException(
            "batch, checkpointEvery, validateEvery, poolSize and replaceEvery must be ≥ 1");
      }
      if (!(learningRate > 0) || !(diceWeight >= 0)) {
        throw new IllegalArgumentException("need learningRate > 0 and diceWeight ≥ 0");
      }
      for (int s : validationSeeds) {
        if (s < 0 || s >= 10_000) {
          throw new IllegalArgumentException("validation seeds must be in [0, 10000), got " + s);
        }
      }
      validationSeeds = validationSeeds.clone();
    }

    /**
     * The options of a CPU run: {@link HDenseUNetConfig#cpu()}, batch 1, lr 1e-3, Dice weight 0,
     * checkpoint and validation every 100 steps, the simulator's default grid, a pool of 8 cases
     * with a new case every 20 steps, validation seeds 9990 and 9991 on 256×256 tiles.
     *
     * @param out the output folder
     * @param steps2d steps of the 2D stage
     * @param steps3d steps of the 3D stage
     * @param stepsE2E steps of the end-to-end stage
     * @param crop in-plane crop side
     * @param seed the run's seed
     * @param resume whether to resume
     * @param command the command line
     * @return the options
     */
    public static Options cpu(
        Path out,
        int steps2d,
        int steps3d,
        int stepsE2E,
        int crop,
        long seed,
        boolean resume,
        String command) {
      return new Options(
          out,
          HDenseUNetConfig.cpu(),
          steps2d,
          steps3d,
          stepsE2E,
          crop,
          1,
          seed,
          1e-3f,
          0f,
          100,
          100,
          AbdominalPhantom.Parameters.defaults(),
          8,
          20,
          VALIDATION_SEEDS,
          256,
          resume,
          command);
    }

    int totalSteps() {
      return steps2d + steps3d + stepsE2E;
    }

    Stage stageAt(int step) {
      return step < steps2d
          ? Stage.TWO_D
          : step < steps2d + steps3d ? Stage.THREE_D : Stage.END_TO_END;
    }

    boolean endsStage(int step) {
      return step == steps2d || step == steps2d + steps3d || step == totalSteps();
    }

    float learningRateAt(int step) {
      Stage stage = stageAt(step);
      int start = stage == Stage.TWO_D ? 0 : stage == Stage.THREE_D ? steps2d : steps2d + steps3d;
      int length = stage == Stage.TWO_D ? steps2d : stage == Stage.THREE_D ? steps3d : stepsE2E;
      double base = stage == Stage.END_TO_END ? 0.3 * learningRate : learningRate;
      return (float) (base * Math.pow(0.1, (step - start) / (double) Math.max(1, length)));
    }
  }

  /**
   * What a run ended with.
   *
   * @param step steps done in all (resumed ones included)
   * @param stopped whether {@link #requestStop()} ended it early
   * @param bestDice the best validation Dice, null if none ran
   * @param bestStep the step of the best validation, −1 if none
   * @param seconds training time in all, resumed runs included
   */
  public record Result(
      int step, boolean stopped, Validation.Dice bestDice, int bestStep, double seconds) {}

  /** What {@code state.json} holds. */
  record State(
      int step,
      long seed,
      double bestScore,
      int bestStep,
      Validation.Dice bestDice,
      double seconds,
      Map<String, Double> finalLosses) {}

  private final Options options;
  private final Device device;
  private final PrintWriter log;
  private volatile boolean stopRequested;
  private volatile int step;

  /**
   * Prepares a run.
   *
   * @param options what to train
   * @param device where to train
   * @param log where progress goes (stderr for the command line)
   */
  public HDenseUNetTraining(Options options, Device device, PrintWriter log) {
    this.options = options;
    this.device = device;
    this.log = log;
  }

  /** Asks the run to stop after the current step, with a checkpoint. Safe from any thread. */
  public void requestStop() {
    stopRequested = true;
  }

  /**
   * Trains until all steps are done or {@link #requestStop()} is called.
   *
   * @return how it ended
   * @throws IOException if writing the output fails or {@code latest/} cannot be resumed
   * @throws IllegalStateException if {@code out} already holds a run and resume is off, or resume
   *     is on and it holds none
   * @throws InterruptedException if interrupted while waiting for training cases
   */
  public Result run() throws IOException, InterruptedException {
    DjlEnvironment.configure();
    Path out = options.out();
    State state =
        RunFiles.startState(
            out,
            options.resume(),
            GSON,
            State.class,
            () -> new State(0, options.seed(), -1, -1, null, 0, new LinkedHashMap<>()));
    int startStep = state.step();
    step = startStep;
    long seed = state.seed();
    Engine.getEngine("PyTorch").setRandomSeed((int) (seed * 31 + startStep));
    Random rng = new Random(seed * 1_000_003L + startStep);
    HDenseUNetConfig config = options.config();
    Preprocessing preprocessing =
        new Preprocessing(
            options.phantom().spacingMm(),
            -200f,
            250f,
            25f,
            225f,
            config.slabDepth(),
            options.crop());
    CropSampler sampler = new CropSampler(preprocessing, config.slabDepth(), options.crop());
    say("voxelwise train: generating %d validation cases%n", options.validationSeeds().length);
    List<TrainingCase> validationCases = new ArrayList<>();
    for (int s : options.validationSeeds()) {
      validationCases.add(TrainingCase.generate(options.phantom(), s));
    }
    Validation validation =
        new Validation(
            validationCases,
            new CropSampler(preprocessing, config.slabDepth(), options.validationTile()),
            config.slabDepth());
    long seedBase = 1000 * seed + startStep;
    double bestScore = state.bestScore();
    int bestStep = state.bestStep();
    Validation.Dice bestDice = state.bestDice();
    Validation.Dice lastDice = null;
    int lastValidationStep = -1;
    double secondsBefore = state.seconds();
    long runStart = System.nanoTime();
    boolean stopped = false;
    try (Model model = Model.newInstance(HDenseUNetModelFiles.PARAMS_PREFIX, device, "PyTorch");
        CasePool<TrainingCase> pool =
            new CasePool<>(
                s -> TrainingCase.generate(options.phantom(), s),
                i -> Math.floorMod(seedBase + i, 9990L),
                options.poolSize(),
                options.replaceEvery())) {
      HDenseUNet net = new HDenseUNet(config);
      model.setBlock(net);
      if (options.resume()) {
        RunFiles.loadLatest(model, out, HDenseUNetModelFiles.PARAMS_PREFIX);
        say("voxelwise train: resuming at step %d%n", startStep);
      }
      Tracker learningRate =
          numUpdate -> options.learningRateAt(Math.min(step, options.totalSteps() - 1));
      DefaultTrainingConfig trainingConfig =
          new DefaultTrainingConfig(
                  new SegmentationLoss(SegmentationLoss.PAPER_WEIGHTS, 0.5f, options.diceWeight()))
              .optOptimizer(Adam.builder().optLearningRateTracker(learningRate).build())
              .optDevices(new Device[] {device});
      try (Trainer trainer = model.newTrainer(trainingConfig)) {
        trainer.initialize(config.inputShape(options.batch(), options.crop(), options.crop()));
        net.setStage(options.stageAt(Math.min(step, options.totalSteps() - 1)));
        int lastCheckpoint = step;
        try (Writer lossCsv =
                RunFiles.appendCsv(out.resolve("loss.csv"), "step,stage,loss,lr,seconds");
            Writer validationCsv =
                RunFiles.appendCsv(
                    out.resolve("validation.csv"), "step,stage,liver_dice,tumor_dice")) {
          StepLog steps =
              new StepLog(lossCsv, log, startStep, options.totalSteps(), state.finalLosses());
          while (step < options.totalSteps() && !stopRequested) {
            Stage stage = options.stageAt(step);
            if (stage != net.stage()) {
              net.setStage(stage);
            }
            float lr = options.learningRateAt(step);
            long t0 = System.nanoTime();
            float loss = trainStep(trainer, pool, sampler, rng);
            double stepSeconds = (System.nanoTime() - t0) / 1e9;
            step++;
            steps.record(step, stage.name(), loss, lr, stepSeconds);
            Map<String, Double> finalLosses = steps.finalLosses();
            boolean stageEnd = options.endsStage(step);
            double seconds = secondsBefore + (System.nanoTime() - runStart) / 1e9;
            if (step % options.validateEvery() == 0 || stageEnd) {
              lastDice = validation.evaluate(model);
              lastValidationStep = step;
              validationCsv.write(
                  String.format(
                      Locale.ROOT,
                      "%d,%s,%.4f,%.4f%n",
                      step,
                      stage,
                      lastDice.liver(),
                      lastDice.tumor()));
              validationCsv.flush();
              boolean better = lastDice.score() > bestScore;
              say(
                  "validation at step %d (%s): liver Dice %.4f, tumor Dice %.4f%s%n",
                  step, stage, lastDice.liver(), lastDice.tumor(), better ? " (best so far)" : "");
              if (better) {
                bestScore = lastDice.score();
                bestStep = step;
                bestDice = lastDice;
                HDenseUNetModelFiles.save(
                    model,
                    card(net, preprocessing, seed, seconds, finalLosses, lastDice, step),
                    out.resolve("best"));
              }
            }
            if (step % options.checkpointEvery() == 0 || stageEnd || stopRequested) {
              checkpoint(
                  model,
                  net,
                  preprocessing,
                  seed,
                  seconds,
                  finalLosses,
                  lastDice,
                  lastValidationStep,
                  new State(step, seed, bestScore, bestStep, bestDice, seconds, finalLosses));
              lastCheckpoint = step;
            }
          }
          stopped = stopRequested && step < options.totalSteps();
          if (lastCheckpoint != step) {
            Map<String, Double> finalLosses = steps.finalLosses();
            double seconds = secondsBefore + (System.nanoTime() - runStart) / 1e9;
            checkpoint(
                model,
                net,
                preprocessing,
                seed,
                seconds,
                finalLosses,
                lastDice,
                lastValidationStep,
                new State(step, seed, bestScore, bestStep, bestDice, seconds, finalLosses));
          }
        }
      }
    }
    double seconds = secondsBefore + (System.nanoTime() - runStart) / 1e9;
    say(
        "voxelwise train: %s at step %d after %.0f s; best validation at step %d%n",
        stopped ? "stopped" : "done", step, seconds, bestStep);
    return new Result(step, stopped, bestDice, bestStep, seconds);
  }

  private float trainStep(
      Trainer trainer, CasePool<TrainingCase> pool, CropSampler sampler, Random rng)
      throws InterruptedException {
    int depth = options.config().slabDepth();
    int size = options.crop();
    int voxels = depth * size * size;
    float[] image = new float[options.batch() * voxels];
    int[] labels = new int[image.length];
    for (int b = 0; b < options.batch(); b++) {
      CropSampler.Crop crop = sampler.sample(pool.draw(rng), rng, true);
      System.arraycopy(crop.image(), 0, image, b * voxels, voxels);
      System.arraycopy(crop.labels(), 0, labels, b * voxels, voxels);
    }
    try (NDManager manager = trainer.getManager().newSubManager()) {
      NDArray x = manager.create(image, new Shape(options.batch(), 1, depth, size, size));
      NDArray y = manager.create(labels, new Shape(options.batch(), depth, size, size));
      return StepLog.adamStep(trainer, x, y);
    }
  }

  private void checkpoint(
      Model model,
      HDenseUNet net,
      Preprocessing preprocessing,
      long seed,
      double seconds,
      Map<String, Double> finalLosses,
      Validation.Dice dice,
      int validationStep,
      State state)
      throws IOException {
    Path out = options.out();
    HDenseUNetModelFiles.save(
        model,
        card(net, preprocessing, seed, seconds, finalLosses, dice, validationStep),
        out.resolve("latest"));
    RunFiles.writeJson(GSON, state, out.resolve("state.json"));
    say("checkpoint at step %d: %s%n", step, out.resolve("latest"));
  }

  private ModelCard card(
      HDenseUNet net,
      Preprocessing preprocessing,
      long seed,
      double seconds,
      Map<String, Double> finalLosses,
      Validation.Dice dice,
      int validationStep) {
    Map<String, Integer> planned = new LinkedHashMap<>();
    planned.put(Stage.TWO_D.name(), options.steps2d());
    planned.put(Stage.THREE_D.name(), options.steps3d());
    planned.put(Stage.END_TO_END.name(), options.stepsE2E());
    Map<String, Double> diceMap = new LinkedHashMap<>();
    if (dice != null) {
      diceMap.put("liver", dice.liver());
      diceMap.put("tumor", dice.tumor());
    }
    String data =
        String.format(
            Locale.ROOT,
            "AbdominalPhantom %s, seeds (1000*%d + start step + i) mod 9990, pool of %d cases, a"
                + " new case every %d steps; %d slab(s) of %d×%d×%d per step, 2/3 centred on"
                + " liver or tumor voxels; augmentation: rotation ±10°, scale 0.9–1.1, HU gain"
                + " 0.95–1.05, offset ±15 HU, noise 0–8 HU; loss: weighted CE %s, auxiliary 0.5,"
                + " Dice %.2f; Adam lr %.1e decaying ×0.1 per stage (end to end ×0.3)",
            options.phantom(),
            seed,
            options.poolSize(),
            options.replaceEvery(),
            options.batch(),
            preprocessing.slabDepth(),
            options.crop(),
            options.crop(),
            Arrays.toString(SegmentationLoss.PAPER_WEIGHTS),
            options.diceWeight(),
            options.learningRate());
    ModelCard.Training training =
        new ModelCard.Training(
            options.command(),
            seed,
            data,
            options.validationSeeds(),
            planned,
            step,
            Math.round(seconds * 10) / 10.0,
            new LinkedHashMap<>(finalLosses),
            diceMap,
            validationStep);
    return new ModelCard(
        ModelCard.LIVER_ID,
        "0.1.0",
        options.config(),
        net.stage(),
        preprocessing,
        ModelCard.LIVER_CLASSES,
        ModelCard.DEFAULT_THRESHOLDS,
        null,
        training);
  }

  private void say(String format, Object... args) {
    log.printf(Locale.ROOT, format, args);
    log.flush();
  }
}
