package org.voxelwise.segmentation.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Small helpers for composing DJL blocks. */
public final class Blocks {
  private Blocks() {}

  /**
   * Runs a block that takes one array and returns one.
   *
   * @throws IndexOutOfBoundsException if the block returns other than exactly one array
   */
  public static NDArray forwardOne(
      Block block,
      NDArray x,
      ParameterStore parameterStore,
      boolean training,
      PairList<String, Object> params) {
    return block.forward(parameterStore, new NDList(x), training, params).singletonOrThrow();
  }
}
