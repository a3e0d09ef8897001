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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.voxelwise.segmentation.engine.Blocks;

/**
 * A DenseUNet: a DenseNet-BC encoder and an upsampling decoder with summed skip connections, as in
 * H-DenseUNet. {@link DenseUNet2D} works on slices, {@link DenseUNet3D} on slabs (in-plane
 * resolution changes only).
 *
 * <p>Encoder: stem (7×7 conv, stride 2 → BN → ReLU), 3×3 max pooling with stride 2, then the dense
 * blocks of the {@link DenseNetSpec}, each but the last followed by a transition (BN → ReLU → 1×1
 * conv with compression → 2×2 average pooling), and BN → ReLU after the last block. With {@code n}
 * blocks the bottom of the encoder is at 1/2^(n+1) of the input's in-plane size.
 *
 * <p>Decoder: {@code n + 1} steps, each a nearest 2× upsampling, the sum with the encoder feature
 * map of the same resolution (the stem's output and the outputs of dense blocks 1 … n−1, deepest
 * first; none at full resolution), then 3×3 conv → BN → ReLU. Skips are <em>summed</em>, as in the
 * paper's code, not concatenated: each step's convolution is as wide as the skip the next step adds
 * (so the two steps before the last are as wide as the stem, and the last is {@code featureWidth}
 * wide), and a skip whose channel count still differs from the upsampled map (in practice only the
 * deepest one) is first projected by a 1×1 conv. For the paper's 2D branch this gives the decoder
 * widths 768, 384, 96, 96, 64 and the 1×1 projection of block 3's 2112 channels to 2208. DJL has no
 * transposed 3D convolution, hence upsample-then-convolve in both geometries. In 3D the layers run
 * on z-last arrays (see {@code Spatial}: PyTorch's fast CPU convolution path needs it for single
 * shallow slabs); inputs and outputs keep the N×C×D×H×W layout.
 *
 * <p>Forward: input N×C×H×W (2D) or N×C×D×H×W (3D), H and W multiples of {@link
 * DenseNetSpec#inPlaneReduction()}; output the decoder's last feature map (N×featureWidth×same
 * spatial size), followed, when the network has a classifier, by the logits of a 1×1 conv
 * (N×classes×same spatial size).
 */
public abstract sealed class DenseUNet extends AbstractBlock permits DenseUNet2D, DenseUNet3D {

  private final Spatial spatial;
  private final DenseNetSpec spec;
  private final int featureWidth;
  private final int classes;
  private final Block stem;
  private final Block stemPool;
  private final List<Block> denseBlocks = new ArrayList<>();
  private final List<Block> transitions = new ArrayList<>();
  private final Block bottom;
  private final Map<Integer, Block> skipProjections = new HashMap<>();
  private final List<Block> decoderSteps = new ArrayList<>();
  private final Block classifier;

  /**
   * Builds the network.
   *
   * @param spatial the geometry
   * @param spec the encoder
   * @param featureWidth channels of the decoder's last feature map, 1 or more
   * @param classes channels of the logits, 2 or more, or 0 for a network without classifier
   */
  DenseUNet(Spatial spatial, DenseNetSpec spec, int featureWidth, int classes) {
    if (featureWidth < 1) {
      throw new IllegalArgumentException("featureWidth must be 1 or more, got " + featureWidth);
    }
    this.spatial = spatial;
    this.spec = spec;
    this.featureWidth = featureWidth;
    this.classes = classes;
    int levels = spec.levels();
    int[] depths = spec.blockDepths();
    int[] blockOut = spec.blockOutputChannels();

    stem = addChildBlock("stem", convBnRelu(spatial, spec.initialFilters(), 7, 2));
    stemPool = addChildBlock("stemPool", spatial.stemPool());
    for (int i = 0; i < levels; i++) {
      denseBlocks.add(
          addChildBlock("dense" + i, new DenseBlock(spatial, depths[i], spec.growthRate())));
      if (i < levels - 1) {
        transitions.add(
            addChildBlock(
                "transition" + i, transition(spatial, spec.transitionChannels(blockOut[i]))));
      }
    }
    bottom =
        addChildBlock(
            "bottom",
            new SequentialBlock().add(BatchNorm.builder().build()).add(Activation.reluBlock()));

    int[] skipChannels = skipChannels(spec);
    int upChannels = blockOut[levels - 1];
    for (int step = 0; step <= levels; step++) {
      if (step < levels && skipChannels[levels - 1 - step] != upChannels) {
        skipProjections.put(
            step, addChildBlock("skipProjection" + step, spatial.conv(upChannels, 1, 1, false)));
      }
      int width = step < levels ? skipChannels[Math.max(levels - 2 - step, 0)] : featureWidth;
      decoderSteps.add(addChildBlock("decoder" + step, convBnRelu(spatial, width, 3, 1)));
      upChannels = width;
    }
    classifier =
        classes == 0 ? null : addChildBlock("classifier", spatial.conv(classes, 1, 1, true));
  }

  /** Channels of the skips, shallowest first: the stem's, then dense blocks 1 … n−1's. */
  private static int[] skipChannels(DenseNetSpec spec) {
    int[] blockOut = spec.blockOutputChannels();
    int[] skips = new int[spec.levels()];
    skips[0] = spec.initialFilters();
    System.arraycopy(blockOut, 0, skips, 1, spec.levels() - 1);
    return skips;
  }

  /** Conv (no bias) → BN → ReLU. */
  static SequentialBlock convBnRelu(Spatial spatial, int filters, int kernel, int stride) {
    return new SequentialBlock()
        .add(spatial.conv(filters, kernel, stride, false))
        .add(BatchNorm.builder().build())
        .add(Activation.reluBlock());
  }

  /** A DenseNet transition: BN → ReLU → 1×1 conv to {@code filters} → 2×2 average pooling. */
  static SequentialBlock transition(Spatial spatial, int filters) {
    return new SequentialBlock()
        .add(BatchNorm.builder().build())
        .add(Activation.reluBlock())
        .add(spatial.conv(filters, 1, 1, false))
        .add(spatial.halvingAvgPool());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    requireInput(x.getShape());
    x = spatial.toLayers(x);
    List<NDArray> skips = new ArrayList<>();
    x = Blocks.forwardOne(stem, x, parameterStore, training, params);
    skips.add(x);
    x = Blocks.forwardOne(stemPool, x, parameterStore, training, params);
    for (int i = 0; i < denseBlocks.size(); i++) {
      x = Blocks.forwardOne(denseBlocks.get(i), x, parameterStore, training, params);
      if (i < transitions.size()) {
        skips.add(x);
        x = Blocks.forwardOne(transitions.get(i), x, parameterStore, training, params);
      }
    }
    x = Blocks.forwardOne(bottom, x, parameterStore, training, params);
    int levels = spec.levels();
    for (int step = 0; step <= levels; step++) {
      x = spatial.upsample(x);
      if (step < levels) {
        NDArray skip = skips.get(levels - 1 - step);
        Block projection = skipProjections.get(step);
        if (projection != null) {
          skip = Blocks.forwardOne(projection, skip, parameterStore, training, params);
        }
        x = x.add(skip);
      }
      x = Blocks.forwardOne(decoderSteps.get(step), x, parameterStore, training, params);
    }
    NDList out = new NDList(spatial.fromLayers(x));
    if (classifier != null) {
      out.add(
          spatial.fromLayers(Blocks.forwardOne(classifier, x, parameterStore, training, params)));
    }
    return out;
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    requireInput(in);
    Shape features = Spatial.withChannels(in, featureWidth);
    return classifier == null
        ? new Shape[] {features}
        : new Shape[] {features, Spatial.withChannels(in, classes)};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    requireInput(inputShapes[0]);
    Shape x = spatial.toLayers(inputShapes[0]);
    List<Shape> skips = new ArrayList<>();
    x = init(stem, x, manager, dataType);
    skips.add(x);
    x = init(stemPool, x, manager, dataType);
    for (int i = 0; i < denseBlocks.size(); i++) {
      x = init(denseBlocks.get(i), x, manager, dataType);
      if (i < transitions.size()) {
        skips.add(x);
        x = init(transitions.get(i), x, manager, dataType);
      }
    }
    x = init(bottom, x, manager, dataType);
    int levels = spec.levels();
    for (int step = 0; step <= levels; step++) {
      x = spatial.upsampled(x);
      Block projection = skipProjections.get(step);
      if (projection != null) {
        init(projection, skips.get(levels - 1 - step), manager, dataType);
      }
      x = init(decoderSteps.get(step), x, manager, dataType);
    }
    if (classifier != null) {
      init(classifier, x, manager, dataType);
    }
  }

  private static Shape init(Block block, Shape in, NDManager manager, DataType dataType) {
    block.initialize(manager, dataType, in);
    return block.getOutputShapes(new Shape[] {in})[0];
  }

  private void requireInput(Shape shape) {
    int reduction = spec.inPlaneReduction();
    int rank = spatial.rank();
    if (shape.dimension() != rank
        || shape.get(rank - 2) % reduction != 0
        || shape.get(rank - 1) % reduction != 0) {
      throw new IllegalArgumentException(
          getClass().getSimpleName()
              + " needs a rank-"
              + rank
              + " input whose last two sides are multiples of "
              + reduction
              + ", got "
              + shape);
    }
  }
}
