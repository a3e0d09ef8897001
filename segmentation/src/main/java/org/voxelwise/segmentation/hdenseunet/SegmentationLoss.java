package org.voxelwise.segmentation.hdenseunet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import java.util.Arrays;

/**
 * The H-DenseUNet training loss: a class-weighted cross-entropy over voxels, plus optionally a soft
 * Dice term, on the network's main logits, plus {@code auxiliaryWeight} times the weighted
 * cross-entropy of the 2D logits when the output list has them ({@link
 * HDenseUNet.Stage#END_TO_END}; the paper's λ = 0.5).
 *
 * <p>{@link #evaluate} takes labels [B×D×H×W class indices, any numeric type] and predictions
 * [logits B×classes×D×H×W, optionally 2D logits of the same shape]; the loss is a scalar.
 *
 * <p>Weighted cross-entropy, as in the paper's code: the mean over all N voxels of {@code w[y] ·
 * −log softmax(z)[y]}, with {@code y} the voxel's class, {@code z} its logits and {@code w} the
 * class weights (divided by N, not by the sum of the weights). Soft Dice: {@code 1 − mean over
 * classes c ≥ 1 of (2 Σ p_c g_c + 1) / (Σ p_c + Σ g_c + 1)}, sums over the whole batch, {@code p}
 * the softmax and {@code g} the one-hot labels.
 */
public final class SegmentationLoss extends Loss {

  /** The paper's class weights: background, liver, tumor. */
  public static final float[] PAPER_WEIGHTS = {0.78f, 0.65f, 8.57f};

  private final float[] classWeights;
  private final float auxiliaryWeight;
  private final float diceWeight;

  /**
   * The paper's loss: weights {@link #PAPER_WEIGHTS}, auxiliary 2D weight 0.5, no Dice.
   *
   * @return the loss
   */
  public static SegmentationLoss paper() {
    return new SegmentationLoss(PAPER_WEIGHTS, 0.5f, 0f);
  }

  /**
   * Builds the loss.
   *
   * @param classWeights one positive weight per class
   * @param auxiliaryWeight factor of the 2D logits' cross-entropy, 0 or more
   * @param diceWeight factor of the soft Dice term, 0 (off) or more
   * @throws IllegalArgumentException if a weight is out of range
   */
  public SegmentationLoss(float[] classWeights, float auxiliaryWeight, float diceWeight) {
    super("SegmentationLoss");
    if (classWeights == null || classWeights.length < 2) {
      throw new IllegalArgumentException("need one weight per class, at least 2");
    }
    for (float w : classWeights) {
      if (!(w > 0)) {
        throw new IllegalArgumentException("class weights must be positive");
      }
    }
    if (!(auxiliaryWeight >= 0) || !(diceWeight >= 0)) {
      throw new IllegalArgumentException("auxiliary and Dice weights must be 0 or more");
    }
    this.classWeights = classWeights.clone();
    this.auxiliaryWeight = auxiliaryWeight;
    this.diceWeight = diceWeight;
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray target = labels.singletonOrThrow();
    NDArray logits = predictions.get(0);
    NDArray loss = weightedCrossEntropy(logits, target, classWeights);
    if (diceWeight > 0) {
      loss = loss.add(softDice(logits, target).mul(diceWeight));
    }
    if (predictions.size() > 1 && auxiliaryWeight > 0) {
      loss =
          loss.add(
              weightedCrossEntropy(predictions.get(1), target, classWeights).mul(auxiliaryWeight));
    }
    return loss;
  }

  /**
   * The class-weighted cross-entropy, mean over voxels.
   *
   * @param logits N×C×spatial
   * @param labels N×spatial class indices in [0, C)
   * @param classWeights C weights
   * @return a scalar
   */
  public static NDArray weightedCrossEntropy(NDArray logits, NDArray labels, float[] classWeights) {
    int classes = requireShapes(logits, labels, classWeights.length);
    NDArray oneHot = oneHot(labels, classes);
    long[] weightShape = new long[logits.getShape().dimension()];
    Arrays.fill(weightShape, 1);
    weightShape[1] = classes;
    NDArray weights = logits.getManager().create(classWeights, new Shape(weightShape));
    return logits.logSoftmax(1).mul(oneHot).mul(weights).sum(new int[] {1}).mean().neg();
  }

  /**
   * The soft Dice loss over the foreground classes 1 … C−1.
   *
   * @param logits N×C×spatial
   * @param labels N×spatial class indices in [0, C)
   * @return a scalar in [0, 1]
   */
  public static NDArray softDice(NDArray logits, NDArray labels) {
    int classes = (int) logits.getShape().get(1);
    requireShapes(logits, labels, classes);
    int[] sumAxes = new int[logits.getShape().dimension() - 1];
    sumAxes[0] = 0;
    for (int i = 1; i < sumAxes.length; i++) {
      sumAxes[i] = i + 1;
    }
    String foreground = ":, 1:";
    NDArray p = logits.softmax(1).get(foreground);
    NDArray g = oneHot(labels, classes).get(foreground);
    NDArray intersection = p.mul(g).sum(sumAxes);
    NDArray total = p.sum(sumAxes).add(g.sum(sumAxes));
    return intersection.mul(2).add(1).div(total.add(1)).mean().neg().add(1);
  }

  /** One-hot labels with the class on axis 1, as float32. */
  private static NDArray oneHot(NDArray labels, int classes) {
    NDArray oneHot = labels.toType(DataType.INT64, false).oneHot(classes);
    int rank = oneHot.getShape().dimension();
    int[] axes = new int[rank];
    axes[0] = 0;
    axes[1] = rank - 1;
    for (int i = 2; i < rank; i++) {
      axes[i] = i - 1;
    }
    return oneHot.transpose(axes);
  }

  private static int requireShapes(NDArray logits, NDArray labels, int classes) {
    Shape l = logits.getShape();
    Shape expected = l.slice(0, 1).addAll(l.slice(2));
    if (l.dimension() < 3 || l.get(1) != classes || !labels.getShape().equals(expected)) {
      throw new IllegalArgumentException(
          "logits "
              + l
              + " and labels "
              + labels.getShape()
              + " do not fit "
              + classes
              + " classes: expected labels "
              + expected);
    }
    return classes;
  }
}
