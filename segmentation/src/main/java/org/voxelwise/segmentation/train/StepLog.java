package org.voxelwise.segmentation.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The per-step bookkeeping every trainer shares: one line per step in {@code loss.csv} (step,
 * stage, loss, lr, seconds), the mean loss of the last {@value #WINDOW} steps of each stage, and a
 * progress line on the log every 10 steps (and after the first).
 */
final class StepLog {

  /** Steps in the running mean of the loss. */
  static final int WINDOW = 50;

  private final Writer csv;
  private final PrintWriter log;
  private final int startStep;
  private final int totalSteps;
  private final long start = System.nanoTime();
  private final Deque<Float> recent = new ArrayDeque<>();
  private final Map<String, Double> finalLosses;
  private String stage;

  StepLog(
      Writer csv, PrintWriter log, int startStep, int totalSteps, Map<String, Double> finalLosses) {
    this.csv = csv;
    this.log = log;
    this.startStep = startStep;
    this.totalSteps = totalSteps;
    this.finalLosses = new LinkedHashMap<>(finalLosses);
  }

  /** One Adam step of {@code trainer} on input {@code x} and target {@code y}; returns the loss. */
  static float adamStep(Trainer trainer, NDArray x, NDArray y) {
    try (GradientCollector collector = trainer.newGradientCollector()) {
      NDList predictions = trainer.forward(new NDList(x));
      NDArray loss = trainer.getLoss().evaluate(new NDList(y), predictions);
      collector.backward(loss);
      float value = loss.getFloat();
      trainer.step();
      return value;
    }
  }

  /**
   * Records step {@code step} (counted from 1) of {@code stageName}.
   *
   * @throws IOException if {@code loss.csv} cannot be written
   */
  void record(int step, String stageName, float loss, float lr, double seconds) throws IOException {
    csv.write(
        String.format(Locale.ROOT, "%d,%s,%.5f,%.3g,%.3f%n", step, stageName, loss, lr, seconds));
    csv.flush();
    if (!stageName.equals(stage)) {
      recent.clear();
      stage = stageName;
    }
    recent.addLast(loss);
    if (recent.size() > WINDOW) {
      recent.removeFirst();
    }
    double mean = recent.stream().mapToDouble(Float::doubleValue).average().orElseThrow();
    finalLosses.put(stageName, mean);
    if (step % 10 == 0 || step == startStep + 1) {
      double perStep = (System.nanoTime() - start) / 1e9 / (step - startStep);
      log.printf(
          Locale.ROOT,
          "step %d/%d %s loss %.4f (mean of last %d: %.4f) lr %.2e, %.2f s/step, %.0f min left%n",
          step,
          totalSteps,
          stageName,
          loss,
          recent.size(),
          mean,
          lr,
          perStep,
          perStep * (totalSteps - step) / 60);
      log.flush();
    }
  }

  /** The mean loss of the last steps of each stage run so far (a copy). */
  Map<String, Double> finalLosses() {
    return new LinkedHashMap<>(finalLosses);
  }
}
