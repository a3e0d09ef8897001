package org.voxelwise.segmentation.rstar;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.voxelwise.segmentation.engine.Blocks;

/**
 * RSTAR4D-Net: a U-Net of {@link SeparableConv4d}s for rotational streak reduction in 4D CBCT.
 *
 * <p>Input B×2×T×Z×Y×X, values HU/1000: channel 0 the phase's FBP image, channel 1 the prior (the
 * reconstruction from all projections, repeated over T). Y and X must be multiples of {@link
 * Rstar4dConfig#inPlaneMultiple()}; T and Z are free (1 or more) and are never resampled. Output
 * B×1×T×Z×Y×X: the corrected phase images, HU/1000.
 *
 * <p>A <em>block</em> is two separable convolutions then LeakyReLU. Level i (width w_i) is: at
 * level 0 a block from the input to w_0, at deeper levels a stride-2 separable convolution (y and x
 * halved) then LeakyReLU; then blocks with residual adds, h ← h + block(h) (two per level, the
 * entry block of level 0 counted). Decoder, deepest but one first: nearest ×2 upsampling in y–x,
 * the skip of that level concatenated after it, a block to w_i, then h ← h + block(h). A 1×1
 * convolution with bias gives the output; with {@link Rstar4dConfig#priorResidual()} the prior
 * (input channel 1) is added to it and that convolution starts at zero weights. No batch
 * normalisation.
 *
 * <p>Every separable convolution's z branch follows {@link #setZEnabled(boolean)}; with {@code
 * config.tEnabled()} false the network is the 3D ablation, each phase processed on its own.
 */
public final class Rstar4dNet extends AbstractBlock {

  private final Rstar4dConfig config;
  private final List<SeparableConv4d> separables = new ArrayList<>();
  private final List<Block> encoderEntries = new ArrayList<>();
  private final List<List<Block>> encoderResiduals = new ArrayList<>();
  private final List<Block> decoderEntries = new ArrayList<>();
  private final List<Block> decoderResiduals = new ArrayList<>();
  private final Block output;

  /**
   * Builds the network.
   *
   * @param config widths and switches
   */
  public Rstar4dNet(Rstar4dConfig config) {
    this.config = config;
    int[] widths = config.widths();
    for (int i = 0; i < widths.length; i++) {
      encoderEntries.add(
          addChildBlock("encoder" + i + "Entry", i == 0 ? block(widths[0]) : down(widths[i])));
      List<Block> residuals = new ArrayList<>();
      for (int r = 0; r < (i == 0 ? 1 : 2); r++) {
        residuals.add(addChildBlock("encoder" + i + "Residual" + r, block(widths[i])));
      }
      encoderResiduals.add(residuals);
    }
    for (int i = widths.length - 2; i >= 0; i--) {
      decoderEntries.add(addChildBlock("decoder" + i + "Entry", block(widths[i])));
      decoderResiduals.add(addChildBlock("decoder" + i + "Residual", block(widths[i])));
    }
    output =
        addChildBlock(
            "output", Conv3d.builder().setFilters(1).setKernelShape(new Shape(1, 1, 1)).build());
    if (config.priorResidual()) {
      output.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
    }
  }

  private SeparableConv4d separable(int filters, int stride) {
    SeparableConv4d conv =
        new SeparableConv4d(filters, stride, config.zEnabled(), config.tEnabled());
    separables.add(conv);
    return conv;
  }

  private Block block(int width) {
    return new SequentialBlock()
        .add(separable(width, 1))
        .add(separable(width, 1))
        .add(Activation.leakyReluBlock(config.negativeSlope()));
  }

  private Block down(int width) {
    return new SequentialBlock()
        .add(separable(width, 2))
        .add(Activation.leakyReluBlock(config.negativeSlope()));
  }

  /** The configuration the network was built with. */
  public Rstar4dConfig config() {
    return config;
  }

  /**
   * Switches the z branches of all separable convolutions on or off. They start at zero weights, so
   * the first switch-on after training with z off leaves the output unchanged.
   *
   * @param enabled whether the z branches contribute (and train)
   */
  public void setZEnabled(boolean enabled) {
    separables.forEach(s -> s.setZEnabled(enabled));
  }

  /** Whether the z branches are switched on. */
  public boolean isZEnabled() {
    return separables.get(0).isZEnabled();
  }

  /**
   * The input shape for a batch, checked.
   *
   * @throws IllegalArgumentException if a size is below 1 or Y, X are not multiples of {@link
   *     Rstar4dConfig#inPlaneMultiple()}
   */
  public Shape inputShape(long batch, long phases, long depth, long height, long width) {
    Shape shape = new Shape(batch, Rstar4dConfig.INPUT_CHANNELS, phases, depth, height, width);
    requireInput(shape);
    return shape;
  }

  /** The number of learnable parameters of the initialized network (z branches included). */
  public long parameterCount() {
    if (!isInitialized()) {
      throw new IllegalStateException("initialize the network before counting its parameters");
    }
    return getParameters().values().stream().mapToLong(p -> p.getShape().size()).sum();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray input = inputs.singletonOrThrow();
    requireInput(input.getShape());
    Steps steps = new Steps(parameterStore, training, params);
    NDArray x = input;
    List<NDArray> skips = new ArrayList<>();
    for (int i = 0; i < encoderEntries.size(); i++) {
      Block entry = encoderEntries.get(i);
      x = steps.run(x, h -> steps.forward(entry, h));
      for (Block residual : encoderResiduals.get(i)) {
        NDArray before = x;
        x = steps.run(before, h -> h.add(steps.forward(residual, h)));
        steps.release(before);
      }
      skips.add(x);
    }
    for (int step = 0; step < decoderEntries.size(); step++) {
      NDArray skip = skips.get(skips.size() - 2 - step);
      Block entry = decoderEntries.get(step);
      Block residual = decoderResiduals.get(step);
      NDArray below = x;
      x =
          steps.run(
              below,
              h ->
                  steps.forward(
                      entry, NDArrays.concat(new NDList(h.repeat(4, 2).repeat(5, 2), skip), 1)));
      steps.release(below);
      steps.release(skip);
      NDArray before = x;
      x = steps.run(before, h -> h.add(steps.forward(residual, h)));
      steps.release(before);
    }
    NDArray last = x;
    long[] d = last.getShape().getShape();
    NDArray y =
        steps.run(
            last,
            h -> {
              NDArray o =
                  steps
                      .forward(output, h.reshape(d[0], d[1], d[2] * d[3], d[4], d[5]))
                      .reshape(d[0], 1, d[2], d[3], d[4], d[5]);
              return config.priorResidual() ? o.add(input.get(":, 1:2")) : o;
            });
    steps.release(last);
    return new NDList(y);
  }

  /**
   * Runs the network's steps. In inference mode each step runs in its own {@link NDScope}, so that
   * its intermediate arrays are freed at once, and arrays no longer needed are closed: memory then
   * stays near one block's worth plus the skips, instead of every intermediate of the pass.
   */
  private static final class Steps {
    private final ParameterStore parameterStore;
    private final boolean training;
    private final PairList<String, Object> params;

    Steps(ParameterStore parameterStore, boolean training, PairList<String, Object> params) {
      this.parameterStore = parameterStore;
      this.training = training;
      this.params = params;
    }

    NDArray forward(Block block, NDArray x) {
      return Blocks.forwardOne(block, x, parameterStore, training, params);
    }

    /** {@code step(x)}; in inference mode inside a scope that keeps only the result. */
    NDArray run(NDArray x, UnaryOperator<NDArray> step) {
      if (training) {
        return step.apply(x);
      }
      try (NDScope scope = new NDScope()) {
        NDArray y = step.apply(x);
        NDScope.unregister(y);
        return y;
      }
    }

    /** In inference mode, closes an intermediate array that no later step needs. */
    void release(NDArray x) {
      if (!training) {
        x.close();
      }
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long[] d = requireInput(inputShapes[0]).getShape().clone();
    d[1] = 1;
    return new Shape[] {new Shape(d)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape x = requireInput(inputShapes[0]);
    List<Shape> skips = new ArrayList<>();
    for (int i = 0; i < encoderEntries.size(); i++) {
      x = init(encoderEntries.get(i), x, manager, dataType);
      for (Block residual : encoderResiduals.get(i)) {
        init(residual, x, manager, dataType);
      }
      skips.add(x);
    }
    for (int step = 0; step < decoderEntries.size(); step++) {
      Shape skip = skips.get(skips.size() - 2 - step);
      long[] d = skip.getShape().clone();
      d[1] += x.get(1);
      x = init(decoderEntries.get(step), new Shape(d), manager, dataType);
      init(decoderResiduals.get(step), x, manager, dataType);
    }
    long[] d = x.getShape();
    output.initialize(manager, dataType, new Shape(d[0], d[1], d[2] * d[3], d[4], d[5]));
  }

  private static Shape init(Block block, Shape in, NDManager manager, DataType dataType) {
    block.initialize(manager, dataType, in);
    return block.getOutputShapes(new Shape[] {in})[0];
  }

  private Shape requireInput(Shape shape) {
    int multiple = config.inPlaneMultiple();
    if (shape.dimension() != 6
        || shape.get(1) != Rstar4dConfig.INPUT_CHANNELS
        || shape.size() == 0
        || shape.get(4) % multiple != 0
        || shape.get(5) % multiple != 0) {
      throw new IllegalArgumentException(
          "RSTAR4D-Net needs a B×2×T×Z×Y×X input with Y and X multiples of "
              + multiple
              + ", got "
              + shape);
    }
    return shape;
  }
}
