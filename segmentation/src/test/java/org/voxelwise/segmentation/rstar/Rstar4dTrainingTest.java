package org.voxelwise.segmentation.rstar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.voxelwise.segmentation.engine.DjlEnvironment;

/** The L1 + SSIM loss, and a few Adam steps of a tiny RSTAR4D-Net on a synthetic streak task. */
class Rstar4dTrainingTest {

  private static final int T = 4;
  private static final int SIDE = 16;

  @BeforeAll
  static void start() {
    DjlEnvironment.configure();
  }

  @Test
  void ssimAndL1OnValuesKnownByHand() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      Rstar4dLoss loss = new Rstar4dLoss(0.1f, 2f);
      NDArray a = manager.randomNormal(new Shape(1, 1, 2, 1, 9, 9));
      assertEquals(1f, loss.ssim(a, a).getFloat(), 1e-5f);
      assertEquals(0f, loss.evaluate(new NDList(a), new NDList(a)).getFloat(), 1e-5f);
      // constant images 0.5 and 0.2: zero variances, SSIM = (2ab + C1) / (a² + b² + C1)
      NDArray p = manager.full(new Shape(1, 1, 1, 1, 7, 8), 0.5f);
      NDArray q = manager.full(new Shape(1, 1, 1, 1, 7, 8), 0.2f);
      double c1 = 0.02 * 0.02;
      double ssim = (2 * 0.5 * 0.2 + c1) / (0.25 + 0.04 + c1);
      assertEquals(ssim, loss.ssim(p, q).getFloat(), 1e-4);
      assertEquals(
          0.3 + 0.1 * (1 - ssim), loss.evaluate(new NDList(q), new NDList(p)).getFloat(), 1e-4);
      assertThrows(
          IllegalArgumentException.class,
          () -> loss.ssim(manager.zeros(new Shape(1, 6, 8)), manager.zeros(new Shape(1, 6, 8))));
      assertThrows(IllegalArgumentException.class, () -> new Rstar4dLoss(0.1f, 0f));
    }
  }

  /**
   * Input B×2×T×1×16×16 and target: a smooth "anatomy" (two Gaussian blobs on a ramp), the phase
   * image that plus a line pattern whose direction turns by 45° per phase (the "streaks"), the
   * prior that plus a little noise.
   */
  private static NDList[] task(NDManager manager) {
    float[] input = new float[2 * T * SIDE * SIDE];
    float[] target = new float[T * SIDE * SIDE];
    Random noise = new Random(11);
    for (int t = 0; t < T; t++) {
      double angle = Math.PI * t / T;
      for (int y = 0; y < SIDE; y++) {
        for (int x = 0; x < SIDE; x++) {
          double clean =
              0.2 * x / SIDE
                  + 0.6 * Math.exp(-(sq(x - 5) + sq(y - 6)) / 12.0)
                  - 0.4 * Math.exp(-(sq(x - 11) + sq(y - 10)) / 8.0);
          double streak = 0.3 * Math.cos(1.6 * (x * Math.cos(angle) + y * Math.sin(angle)));
          int i = (t * SIDE + y) * SIDE + x;
          target[i] = (float) clean;
          input[i] = (float) (clean + streak);
          input[T * SIDE * SIDE + i] = (float) (clean + 0.02 * noise.nextGaussian());
        }
      }
    }
    return new NDList[] {
      new NDList(manager.create(input, new Shape(1, 2, T, 1, SIDE, SIDE))),
      new NDList(manager.create(target, new Shape(1, 1, T, 1, SIDE, SIDE)))
    };
  }

  private static double sq(double v) {
    return v * v;
  }

  @Test
  void aFewAdamStepsLowerTheLossWithZOff() {
    Engine.getEngine("PyTorch").setRandomSeed(2024);
    try (Model model = Model.newInstance("rstar", Device.cpu(), "PyTorch")) {
      Rstar4dNet net = new Rstar4dNet(Rstar4dNetTest.TINY.withZEnabled(false));
      model.setBlock(net);
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(Rstar4dLoss.paper())
              .optOptimizer(Adam.builder().optLearningRateTracker(Tracker.fixed(5e-3f)).build())
              .optDevices(new Device[] {Device.cpu()});
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(net.inputShape(1, T, 1, SIDE, SIDE));
        NDList[] task = task(trainer.getManager());
        List<Float> losses = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) {
          try (GradientCollector collector = trainer.newGradientCollector()) {
            NDArray loss = trainer.getLoss().evaluate(task[1], trainer.forward(task[0]));
            collector.backward(loss);
            trainer.step();
            losses.add(loss.getFloat());
          }
        }
        System.out.printf(
            "rstar tiny task, 20 Adam steps in %d ms, loss: %s%n",
            (System.nanoTime() - start) / 1_000_000, losses);
        float first = losses.get(0);
        float last = (losses.get(18) + losses.get(19)) / 2;
        assertTrue(last < 0.6f * first, "loss " + first + " → " + last);
        List<Parameter> frozen =
            net.getParameters().values().stream().filter(p -> !p.requiresGradient()).toList();
        assertEquals(13, frozen.size(), "one z weight per separable convolution, all frozen");
        for (Parameter p : frozen) {
          assertEquals(0f, p.getArray().abs().sum().getFloat(), "frozen z weights stay at zero");
        }
      }
    }
  }
}
