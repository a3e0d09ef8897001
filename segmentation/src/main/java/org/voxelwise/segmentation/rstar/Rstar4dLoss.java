package org.voxelwise.segmentation.rstar;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.loss.Loss;

/**
 * The RSTAR4D-Net loss, L1 + ssimWeight · (1 − SSIM) (paper: ssimWeight 0.1), as a DJL {@link
 * Loss}: labels [target B×1×T×Z×Y×X], predictions [output of the same shape].
 *
 * <p>L1 is the mean absolute difference over all voxels. SSIM is computed per y–x slice (the B·T·Z
 * slices) with a uniform {@value #WINDOW}×{@value #WINDOW} window at the valid positions only (Y
 * and X must be {@value #WINDOW} or more), K1 = 0.01, K2 = 0.03 and the given data range (the span
 * of the values, e.g. 2 for HU/1000 from −1000 to 1000 HU), with window means and population
 * (co)variances, and averaged over all positions of all slices.
 */
public final class Rstar4dLoss extends Loss {

  /** Side of the SSIM window. */
  public static final int WINDOW = 7;

  private final float ssimWeight;
  private final float dataRange;

  /**
   * Builds the loss.
   *
   * @param ssimWeight weight of (1 − SSIM), 0 or more
   * @param dataRange data range L of SSIM's constants (K·L)², above 0
   * @throws IllegalArgumentException if a number is out of range
   */
  public Rstar4dLoss(float ssimWeight, float dataRange) {
    super("rstar4dLoss");
    if (!(ssimWeight >= 0) || !(dataRange > 0)) {
      throw new IllegalArgumentException(
          "need ssimWeight ≥ 0 and dataRange > 0, got " + ssimWeight + ", " + dataRange);
    }
    this.ssimWeight = ssimWeight;
    this.dataRange = dataRange;
  }

  /** The paper's loss: L1 + 0.1 · (1 − SSIM), data range 2 (HU/1000 over −1000 … 1000 HU). */
  public static Rstar4dLoss paper() {
    return new Rstar4dLoss(0.1f, 2f);
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray target = labels.singletonOrThrow();
    NDArray output = predictions.get(0);
    if (!target.getShape().equals(output.getShape()) || target.getShape().dimension() != 6) {
      throw new IllegalArgumentException(
          "labels and predictions must both be B×1×T×Z×Y×X, got "
              + target.getShape()
              + " and "
              + output.getShape());
    }
    NDArray l1 = output.sub(target).abs().mean();
    return l1.add(ssim(output, target).neg().add(1).mul(ssimWeight));
  }

  /**
   * The mean SSIM of two arrays of the same shape, over the y–x slices of their last two axes.
   *
   * @param a an array of rank 3 or more
   * @param b an array of the same shape
   * @return a scalar array
   */
  public NDArray ssim(NDArray a, NDArray b) {
    long[] d = a.getShape().getShape();
    long h = d[d.length - 2];
    long w = d[d.length - 1];
    if (h < WINDOW || w < WINDOW) {
      throw new IllegalArgumentException(
          "SSIM needs slices of at least " + WINDOW + "×" + WINDOW + ", got " + a.getShape());
    }
    NDArray x = a.reshape(-1, 1, h, w);
    NDArray y = b.reshape(-1, 1, h, w);
    NDArray mx = mean(x);
    NDArray my = mean(y);
    NDArray vx = mean(x.mul(x)).sub(mx.mul(mx));
    NDArray vy = mean(y.mul(y)).sub(my.mul(my));
    NDArray cxy = mean(x.mul(y)).sub(mx.mul(my));
    float c1 = (0.01f * dataRange) * (0.01f * dataRange);
    float c2 = (0.03f * dataRange) * (0.03f * dataRange);
    NDArray numerator = mx.mul(my).mul(2).add(c1).mul(cxy.mul(2).add(c2));
    NDArray denominator = mx.mul(mx).add(my.mul(my)).add(c1).mul(vx.add(vy).add(c2));
    return numerator.div(denominator).mean();
  }

  private static NDArray mean(NDArray x) {
    return Pool.avgPool2d(
        x, new Shape(WINDOW, WINDOW), new Shape(1, 1), new Shape(0, 0), false, true);
  }
}
