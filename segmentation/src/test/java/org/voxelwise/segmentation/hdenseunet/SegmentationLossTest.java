package org.voxelwise.segmentation.hdenseunet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.voxelwise.segmentation.engine.DeviceChoice;
import org.voxelwise.segmentation.engine.DjlEnvironment;

/** The weighted cross-entropy and soft Dice against values computed by hand. */
class SegmentationLossTest {

  private static NDManager manager;

  @BeforeAll
  static void start() {
    DjlEnvironment.configure();
    manager = Engine.getEngine("PyTorch").newBaseManager(DeviceChoice.CPU.select(0));
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  /** Two voxels, 3 classes: logits (0, 0, 0) labelled tumor, (2, 0, 0) labelled background. */
  private static NDArray twoVoxelLogits() {
    // N=1 × C=3 × 2 voxels, class-major
    return manager.create(new float[] {0, 2, 0, 0, 0, 0}, new Shape(1, 3, 2));
  }

  private static NDArray twoVoxelLabels() {
    return manager.create(new int[] {2, 0}, new Shape(1, 2));
  }

  @Test
  void weightedCrossEntropyMatchesAHandComputedValue() {
    double tumorVoxel = 8.57 * -Math.log(1.0 / 3);
    double backgroundVoxel = 0.78 * -Math.log(Math.exp(2) / (Math.exp(2) + 2));
    double expected = (tumorVoxel + backgroundVoxel) / 2; // 4.7960…

    NDArray loss =
        SegmentationLoss.weightedCrossEntropy(
            twoVoxelLogits(), twoVoxelLabels(), SegmentationLoss.PAPER_WEIGHTS);

    assertEquals(new Shape(), loss.getShape());
    assertEquals(expected, loss.getFloat(), 1e-5);
  }

  @Test
  void theAuxiliaryTermAddsHalfTheSecondPredictionsCrossEntropy() {
    NDArray logits = twoVoxelLogits();
    NDArray other = logits.mul(-1);
    float main =
        SegmentationLoss.weightedCrossEntropy(
                logits, twoVoxelLabels(), SegmentationLoss.PAPER_WEIGHTS)
            .getFloat();
    float aux =
        SegmentationLoss.weightedCrossEntropy(
                other, twoVoxelLabels(), SegmentationLoss.PAPER_WEIGHTS)
            .getFloat();

    SegmentationLoss loss = SegmentationLoss.paper();

    assertEquals(
        main, loss.evaluate(new NDList(twoVoxelLabels()), new NDList(logits)).getFloat(), 1e-6);
    assertEquals(
        main + 0.5 * aux,
        loss.evaluate(new NDList(twoVoxelLabels()), new NDList(logits, other)).getFloat(),
        1e-5);
  }

  @Test
  void softDiceIsZeroForAConfidentCorrectPredictionAndAddsWithItsWeight() {
    NDArray labels = twoVoxelLabels();
    NDArray confident = labels.oneHot(3).transpose(0, 2, 1).mul(50);
    assertEquals(0, SegmentationLoss.softDice(confident, labels).getFloat(), 1e-6);

    // uniform softmax: tumor p = 1/3 on both voxels, g = (1, 0); liver p = 1/3 on both, g = 0
    double tumorDice = (2 * (1.0 / 3) + 1) / (2.0 / 3 + 1 + 1);
    double liverDice = 1 / (2.0 / 3 + 1);
    NDArray uniform = manager.zeros(new Shape(1, 3, 2));
    double expectedDice = 1 - (tumorDice + liverDice) / 2;
    assertEquals(expectedDice, SegmentationLoss.softDice(uniform, labels).getFloat(), 1e-6);

    float ce =
        SegmentationLoss.weightedCrossEntropy(uniform, labels, new float[] {1, 1, 1}).getFloat();
    SegmentationLoss withDice = new SegmentationLoss(new float[] {1, 1, 1}, 0.5f, 2f);
    assertEquals(
        ce + 2 * expectedDice,
        withDice.evaluate(new NDList(labels), new NDList(uniform)).getFloat(),
        1e-5);
  }

  @Test
  void mismatchedShapesAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            SegmentationLoss.weightedCrossEntropy(
                twoVoxelLogits(), manager.zeros(new Shape(1, 3)), SegmentationLoss.PAPER_WEIGHTS));
    assertThrows(
        IllegalArgumentException.class,
        () -> new SegmentationLoss(new float[] {1, 0, 1}, 0.5f, 0f));
  }
}
