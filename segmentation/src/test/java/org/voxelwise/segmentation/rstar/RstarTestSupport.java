package org.voxelwise.segmentation.rstar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/** Helpers shared by the RSTAR4D tests: forward passes, torch-like roll, weight edits. */
final class RstarTestSupport {

  private RstarTestSupport() {}

  /** Initializes {@code block} for {@code shape} with float32 parameters. */
  static void init(Block block, NDManager manager, Shape shape) {
    block.initialize(manager, DataType.FLOAT32, shape);
  }

  /** An inference-mode forward pass. */
  static NDArray forward(Block block, NDManager manager, NDArray x) {
    return block
        .forward(new ParameterStore(manager, false), new NDList(x), false)
        .singletonOrThrow();
  }

  /** torch.roll(x, k, axis): element i moves to (i + k) mod n. */
  static NDArray roll(NDArray x, int k, int axis) {
    long n = x.getShape().get(axis);
    String prefix = ":, ".repeat(axis);
    return NDArrays.concat(
        new NDList(x.get(prefix + (n - k) + ":"), x.get(prefix + ":" + (n - k))), axis);
  }

  /** Adds N(0, sd²) noise to every parameter of {@code block} (z branches' zeros included). */
  static void perturb(Block block, NDManager manager, float sd) {
    for (Parameter p : block.getParameters().values()) {
      NDArray array = p.getArray();
      array.addi(manager.randomNormal(0, sd, array.getShape(), DataType.FLOAT32));
    }
  }

  /** Sets every parameter of {@code block} to zero. */
  static void zero(Block block) {
    for (Parameter p : block.getParameters().values()) {
      p.getArray().muli(0);
    }
  }

  /** Asserts equal shapes and values within {@code tolerance}. */
  static void assertClose(NDArray expected, NDArray actual, float tolerance) {
    assertEquals(expected.getShape(), actual.getShape());
    assertArrayEquals(expected.toFloatArray(), actual.toFloatArray(), tolerance);
  }
}
