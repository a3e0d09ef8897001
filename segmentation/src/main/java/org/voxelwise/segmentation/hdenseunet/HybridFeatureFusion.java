package org.voxelwise.segmentation.hdenseunet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;

/**
 * The hybrid feature fusion (HFF) layer of H-DenseUNet: the element-wise sum of the 3D branch's
 * features and the 2D branch's features restacked along z, then 3×3×3 conv ({@code width}, no bias)
 * → dropout → BN → ReLU → 1×1×1 conv (with bias) to the class logits.
 *
 * <p>Forward: input [3D features, 2D features], both N×C×D×H×W with the same shape (in {@link
 * HDenseUNet} both decoders end with C = the HFF width, so no projection is needed); output the
 * logits N×classes×D×H×W. The convolutions run on z-last arrays, as in {@link DenseUNet3D}.
 */
public final class HybridFeatureFusion extends AbstractBlock {

  private final int classes;
  private final Block fuse;
  private final Block classifier;

  /**
   * Builds the layer.
   *
   * @param width channels of the 3×3×3 convolution (paper: 64), 1 or more
   * @param dropout dropout rate, in [0, 1) (paper: 0.3)
   * @param classes channels of the logits, 2 or more
   * @throws IllegalArgumentException if a number is out of range
   */
  public HybridFeatureFusion(int width, float dropout, int classes) {
    if (width < 1 || classes < 2 || !(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException(
          "need width ≥ 1, classes ≥ 2 and dropout in [0, 1), got "
              + width
              + ", "
              + classes
              + ", "
              + dropout);
    }
    this.classes = classes;
    fuse =
        addChildBlock(
            "fuse",
            new SequentialBlock()
                .add(Spatial.SLAB.conv(width, 3, 1, false))
                .add(Dropout.builder().optRate(dropout).build())
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock()));
    classifier = addChildBlock("classifier", Spatial.SLAB.conv(classes, 1, 1, true));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    requireInputs(inputs.getShapes());
    NDArray sum = Spatial.SLAB.toLayers(inputs.get(0).add(inputs.get(1)));
    NDList fused = fuse.forward(parameterStore, new NDList(sum), training, params);
    NDArray logits = classifier.forward(parameterStore, fused, training, params).singletonOrThrow();
    return new NDList(Spatial.SLAB.fromLayers(logits));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    requireInputs(inputShapes);
    return new Shape[] {Spatial.withChannels(inputShapes[0], classes)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    requireInputs(inputShapes);
    Shape sum = Spatial.SLAB.toLayers(inputShapes[0]);
    fuse.initialize(manager, dataType, sum);
    classifier.initialize(manager, dataType, fuse.getOutputShapes(new Shape[] {sum})[0]);
  }

  private static void requireInputs(Shape[] shapes) {
    if (shapes.length != 2 || shapes[0].dimension() != 5 || !shapes[0].equals(shapes[1])) {
      throw new IllegalArgumentException(
          "HFF needs two N×C×D×H×W feature maps of the same shape, got " + Arrays.toString(shapes));
    }
  }
}
