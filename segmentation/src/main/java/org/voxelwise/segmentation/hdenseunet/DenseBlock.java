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
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A DenseNet-BC dense block: {@code layers} bottleneck layers (BN → ReLU → 1×1 conv to {@code 4 ·
 * growth} → BN → ReLU → 3×3 conv to {@code growth}), each fed with the concatenation of the block's
 * input and all earlier layers' outputs. Input N×C×spatial, output N×(C + layers · growth)×spatial
 * with the same spatial size.
 */
final class DenseBlock extends AbstractBlock {

  private final int growth;
  private final List<Block> layers = new ArrayList<>();

  DenseBlock(Spatial spatial, int layers, int growth) {
    this.growth = growth;
    for (int i = 0; i < layers; i++) {
      this.layers.add(
          addChildBlock(
              "layer" + i,
              new SequentialBlock()
                  .add(BatchNorm.builder().build())
                  .add(Activation.reluBlock())
                  .add(spatial.conv(4 * growth, 1, 1, false))
                  .add(BatchNorm.builder().build())
                  .add(Activation.reluBlock())
                  .add(spatial.conv(growth, 3, 1, false))));
    }
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    for (Block layer : layers) {
      NDArray y = layer.forward(parameterStore, new NDList(x), training, params).singletonOrThrow();
      x = x.concat(y, 1);
    }
    return new NDList(x);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {Spatial.withChannels(in, in.get(1) + (long) layers.size() * growth)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape in = inputShapes[0];
    long channels = in.get(1);
    for (Block layer : layers) {
      layer.initialize(manager, dataType, Spatial.withChannels(in, channels));
      channels += growth;
    }
  }
}
