package org.voxelwise.segmentation.rstar;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.initializer.XavierInitializer.FactorType;
import ai.djl.training.initializer.XavierInitializer.RandomType;
import ai.djl.util.PairList;
import org.voxelwise.segmentation.engine.Blocks;

/**
 * A separable 4D convolution on B×C×T×Z×Y×X arrays (T the respiratory phases): the sum of three
 * parallel convolutions, each along its own axes only.
 *
 * <ul>
 *   <li><b>in-plane</b>: 3×3 over y–x, zero padding, with the block's only bias;
 *   <li><b>z</b>: 3 taps along z, <em>replicate</em> padding (the edge slices repeated), no bias;
 *   <li><b>t</b>: 3 taps along t, <em>circular</em> padding (phase T−1 is next to phase 0), no
 *       bias.
 * </ul>
 *
 * <p>PyTorch has no 4D convolution: each branch is a 3D convolution over a reshaped view (in-plane:
 * B×C×(T·Z)×Y×X with kernel (1, 3, 3); z: B×C×T×(Z+2)×(Y·X) with kernel (1, 3, 1); t:
 * B×C×(T+2)×(Z·Y)×X with kernel (3, 1, 1)), the padding of z and t done by concatenating edge
 * slices before a valid convolution. No transposes are needed, and the last axis, the one PyTorch's
 * CPU convolution prefers long, is always X or Y·X. The t view puts Z·Y on axis 3 because PyTorch's
 * fast CPU path needs N·C·(axis 2)·(axis 3) above 20 480: with Z alone there, a 16→16 t branch on
 * 1×16×10×8×64×64 took 117 ms instead of 82 ms (2 busy cores).
 *
 * <p>With {@code inPlaneStride} 2 the block halves y and x (output ⌈Y/2⌉ × ⌈X/2⌉, the in-plane
 * branch a 3×3 stride-2 convolution with padding 1, the z and t branches evaluated at the same
 * sampled positions); T and Z are never changed.
 *
 * <p>The z branch is switched by {@link #setZEnabled(boolean)} ("Tetris" training: off on 2D+T
 * slices, then on). Its weights are initialised to zero, so switching it on for the first time does
 * not change the output; while it is off it is not computed and its weights are frozen. The
 * in-plane and t weights are drawn from N(0, g / fan-in) with g = 1/2 (g = 1 without t branch), so
 * that the branches' sum at initialisation keeps the variance of its input (DJL's default, g = 2
 * per convolution, made the network's outputs grow by orders of magnitude through its residual
 * adds). The t branch exists only when built with {@code tEnabled} (false gives the 3D ablation,
 * which never mixes phases).
 *
 * <p>Forward: input B×C×T×Z×Y×X; output B×filters×T×Z×Y'×X' (Y' = Y, X' = X for stride 1).
 */
public final class SeparableConv4d extends AbstractBlock {

  private final int filters;
  private final int inPlaneStride;
  private final Block inPlane;
  private final Block zConv;
  private final Block tConv;
  private boolean zEnabled;

  /**
   * Builds the block.
   *
   * @param filters output channels, 1 or more
   * @param inPlaneStride 1, or 2 to halve y and x
   * @param zEnabled whether the z branch starts switched on
   * @param tEnabled whether the block has a t branch
   * @throws IllegalArgumentException if {@code filters} or {@code inPlaneStride} is out of range
   */
  public SeparableConv4d(int filters, int inPlaneStride, boolean zEnabled, boolean tEnabled) {
    if (filters < 1 || (inPlaneStride != 1 && inPlaneStride != 2)) {
      throw new IllegalArgumentException(
          "need filters ≥ 1 and stride 1 or 2, got " + filters + ", " + inPlaneStride);
    }
    this.filters = filters;
    this.inPlaneStride = inPlaneStride;
    inPlane =
        addChildBlock(
            "inPlane",
            Conv3d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(1, 3, 3))
                .optStride(new Shape(1, inPlaneStride, inPlaneStride))
                .optPadding(new Shape(0, 1, 1))
                .build());
    zConv = addChildBlock("z", tapConv(filters, new Shape(1, 3, 1)));
    zConv.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
    tConv = tEnabled ? addChildBlock("t", tapConv(filters, new Shape(3, 1, 1))) : null;
    Initializer shared =
        new XavierInitializer(RandomType.GAUSSIAN, FactorType.IN, tEnabled ? 0.5f : 1f);
    inPlane.setInitializer(shared, Parameter.Type.WEIGHT);
    if (tConv != null) {
      tConv.setInitializer(shared, Parameter.Type.WEIGHT);
    }
    setZEnabled(zEnabled);
  }

  private static Block tapConv(int filters, Shape kernel) {
    return Conv3d.builder().setFilters(filters).setKernelShape(kernel).optBias(false).build();
  }

  /**
   * Switches the z branch on or off; off, it is not computed and its weights are frozen.
   *
   * @param enabled whether the z branch contributes
   */
  public void setZEnabled(boolean enabled) {
    zEnabled = enabled;
    zConv.freezeParameters(!enabled);
  }

  /** Whether the z branch is switched on. */
  public boolean isZEnabled() {
    return zEnabled;
  }

  /** Whether the block has a t branch (false: the 3D ablation). */
  public boolean isTEnabled() {
    return tConv != null;
  }

  /** The in-plane branch: 3×3 convolution with bias, in the layout described above. */
  Block inPlaneBranch() {
    return inPlane;
  }

  /** The z branch: 3 taps along z, no bias. */
  Block zBranch() {
    return zConv;
  }

  /** The t branch, or {@code null} in the ablation. */
  Block tBranch() {
    return tConv;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    long[] d = requireInput(x.getShape()).getShape();
    long b = d[0];
    long t = d[2];
    long z = d[3];
    NDArray in = x.reshape(b, d[1], t * z, d[4], d[5]);
    NDArray out = Blocks.forwardOne(inPlane, in, parameterStore, training, params);
    long y = out.getShape().get(3);
    long xs = out.getShape().get(4);
    out = out.reshape(b, filters, t, z, y, xs);
    NDArray sampled =
        inPlaneStride == 1 ? x : x.get(":, :, :, :, ::" + inPlaneStride + ", ::" + inPlaneStride);
    long c = d[1];
    if (zEnabled) {
      NDArray padded =
          NDArrays.concat(
              new NDList(sampled.get(":, :, :, 0:1"), sampled, sampled.get(":, :, :, -1:")), 3);
      NDArray zOut =
          Blocks.forwardOne(
              zConv, padded.reshape(b, c, t, z + 2, y * xs), parameterStore, training, params);
      out = out.add(zOut.reshape(b, filters, t, z, y, xs));
    }
    if (tConv != null) {
      NDArray padded =
          NDArrays.concat(
              new NDList(sampled.get(":, :, -1:"), sampled, sampled.get(":, :, 0:1")), 2);
      NDArray tOut =
          Blocks.forwardOne(
              tConv, padded.reshape(b, c, t + 2, z * y, xs), parameterStore, training, params);
      out = out.add(tOut.reshape(b, filters, t, z, y, xs));
    }
    return new NDList(out);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long[] d = requireInput(inputShapes[0]).getShape();
    long y = (d[4] + inPlaneStride - 1) / inPlaneStride;
    long x = (d[5] + inPlaneStride - 1) / inPlaneStride;
    return new Shape[] {new Shape(d[0], filters, d[2], d[3], y, x)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long[] d = requireInput(inputShapes[0]).getShape();
    inPlane.initialize(manager, dataType, new Shape(d[0], d[1], d[2] * d[3], d[4], d[5]));
    zConv.initialize(manager, dataType, new Shape(d[0], d[1], d[2], d[3] + 2, d[4] * d[5]));
    if (tConv != null) {
      tConv.initialize(manager, dataType, new Shape(d[0], d[1], d[2] + 2, d[3] * d[4], d[5]));
    }
  }

  private static Shape requireInput(Shape shape) {
    if (shape.dimension() != 6) {
      throw new IllegalArgumentException(
          "a separable 4D convolution needs a B×C×T×Z×Y×X input, got " + shape);
    }
    return shape;
  }
}
