package org.voxelwise.segmentation.hdenseunet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.Predicate;

/**
 * H-DenseUNet (Li et al., IEEE TMI 2018): a 2D DenseUNet on each slice with its neighbours, a 3D
 * DenseUNet on the slab and the 2D logits (auto-context), and a hybrid feature fusion of both
 * branches' features, as a DJL block.
 *
 * <p>Input: a batch of slabs B×1×D×H×W (see {@link HDenseUNetConfig#inputShape}), HU clipped to
 * [−200, 250] and scaled linearly to [−1, 1] by the caller ({@code (clip(hu, −200, 250) − 25) /
 * 225}); H and W multiples of {@link HDenseUNetConfig#inPlaneMultiple()}, any D ≥ 1.
 *
 * <p>Forward: (1) each slice z becomes a 3-channel image of slices z−1, z, z+1, the slab's first
 * and last slices repeated at its ends ({@link #neighbourSlices}); (2) the {@link DenseUNet2D} runs
 * on the B·D images; (3) its logits, restacked to B×classes×D×H×W ({@link #restack}), are
 * concatenated with the slab and fed to the {@link DenseUNet3D} (1 + classes channels); (4) the
 * {@link HybridFeatureFusion} sums the 3D features with the restacked 2D features and gives the
 * logits B×classes×D×H×W. Softmax is left to the caller (the loss or the inference pipeline).
 *
 * <p>Staged training, as in the paper's code ({@link #setStage}): the output list and the trainable
 * parameters depend on the {@link Stage}; element 0 of the output is always the prediction that the
 * stage trains and that inference uses.
 *
 * <ul>
 *   <li>{@link Stage#TWO_D}: only the 2D branch runs and trains; output [2D logits
 *       B×classes×D×H×W].
 *   <li>{@link Stage#THREE_D}: the 2D branch is frozen and runs in inference mode (its batch
 *       normalisation uses the running statistics it learnt in the first stage); the 3D branch and
 *       the fusion train; output [fused logits].
 *   <li>{@link Stage#END_TO_END} (the default): everything trains; output [fused logits, 2D
 *       logits], the second for the paper's auxiliary 2D loss ({@link SegmentationLoss}).
 * </ul>
 *
 * <p>Frozen parameters do not require gradients, so an optimizer leaves them alone and no gradient
 * is computed for them. The stage is not saved with the parameters: set it after loading.
 */
public final class HDenseUNet extends AbstractBlock {

  /** What a forward pass computes and which parameters train. */
  public enum Stage {
    /** The 2D DenseUNet alone. */
    TWO_D,
    /** The 3D DenseUNet and the fusion, on top of a frozen 2D DenseUNet. */
    THREE_D,
    /** The whole network. */
    END_TO_END
  }

  private static final Predicate<Parameter> LEARNABLE =
      p -> p.getType() != Parameter.Type.RUNNING_MEAN && p.getType() != Parameter.Type.RUNNING_VAR;

  private final HDenseUNetConfig config;
  private final DenseUNet2D net2d;
  private final DenseUNet3D net3d;
  private final HybridFeatureFusion fusion;
  private Stage stage = Stage.END_TO_END;

  /**
   * Builds the network, in stage {@link Stage#END_TO_END}. Parameters are created when the block is
   * initialized (by a DJL trainer, or {@link #initialize} with {@link
   * HDenseUNetConfig#inputShape}).
   *
   * @param config the structure
   */
  public HDenseUNet(HDenseUNetConfig config) {
    this.config = config;
    net2d =
        addChildBlock(
            "net2d", new DenseUNet2D(config.net2d(), config.hffWidth(), config.classes()));
    net3d = addChildBlock("net3d", DenseUNet3D.featuresOnly(config.net3d(), config.hffWidth()));
    fusion =
        addChildBlock(
            "fusion",
            new HybridFeatureFusion(config.hffWidth(), config.dropout(), config.classes()));
  }

  /**
   * The structure this network was built from.
   *
   * @return the configuration
   */
  public HDenseUNetConfig config() {
    return config;
  }

  /**
   * The current training stage.
   *
   * @return the stage
   */
  public Stage stage() {
    return stage;
  }

  /**
   * Switches the training stage: freezes the parameters the stage does not train and unfreezes the
   * others (batch-norm running statistics are never trainable). Takes effect from the next forward
   * pass and optimizer step; the same trainer can go on across stages.
   *
   * @param stage the new stage
   */
  public void setStage(Stage stage) {
    this.stage = stage;
    net2d.freezeParameters(stage == Stage.THREE_D, LEARNABLE);
    net3d.freezeParameters(stage == Stage.TWO_D, LEARNABLE);
    fusion.freezeParameters(stage == Stage.TWO_D, LEARNABLE);
  }

  /**
   * The number of learnable parameters (convolution weights and biases, batch-norm scales and
   * shifts; not the batch-norm running statistics), whatever the stage.
   *
   * @return the count
   * @throws IllegalStateException if the network is not initialized
   */
  public long parameterCount() {
    return parameterCount(this);
  }

  /**
   * The number of learnable parameters of an initialized block, batch-norm running statistics left
   * out.
   *
   * @param block an initialized block
   * @return the count
   * @throws IllegalStateException if the block is not initialized
   */
  public static long parameterCount(Block block) {
    if (!block.isInitialized()) {
      throw new IllegalStateException("initialize the block before counting its parameters");
    }
    return block.getParameters().values().stream()
        .filter(LEARNABLE)
        .mapToLong(p -> p.getShape().size())
        .sum();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray slab = inputs.singletonOrThrow();
    requireInput(slab.getShape());
    long batch = slab.getShape().get(0);
    boolean train2d = training && stage != Stage.THREE_D;
    NDList out2d =
        net2d.forward(parameterStore, new NDList(neighbourSlices(slab)), train2d, params);
    NDArray logits2d = restack(out2d.get(1), batch);
    if (stage == Stage.TWO_D) {
      return new NDList(logits2d);
    }
    NDArray features2d = restack(out2d.get(0), batch);
    NDArray input3d = slab.concat(logits2d, 1);
    NDArray features3d =
        net3d.forward(parameterStore, new NDList(input3d), training, params).singletonOrThrow();
    NDArray logits =
        fusion
            .forward(parameterStore, new NDList(features3d, features2d), training, params)
            .singletonOrThrow();
    return stage == Stage.END_TO_END ? new NDList(logits, logits2d) : new NDList(logits);
  }

  /**
   * The 2D branch's input: each slice of each slab as a 3-channel image of slices z−1, z, z+1, with
   * the first and last slices repeated beyond the slab's ends.
   *
   * @param slab B×1×D×H×W
   * @return (B·D)×3×H×W, slab-major (image {@code b·D + z} is slice z of slab b)
   */
  public static NDArray neighbourSlices(NDArray slab) {
    Shape s = slab.getShape();
    long batch = s.get(0);
    long depth = s.get(2);
    NDArray padded =
        NDArrays.concat(
            new NDList(slab.get(":, :, 0:1"), slab, slab.get(":, :, " + (depth - 1) + ":")), 2);
    NDArray stacked =
        NDArrays.concat(
            new NDList(
                padded.get(":, :, 0:" + depth),
                padded.get(":, :, 1:" + (depth + 1)),
                padded.get(":, :, 2:" + (depth + 2))),
            1);
    return stacked.transpose(0, 2, 1, 3, 4).reshape(batch * depth, 3, s.get(3), s.get(4));
  }

  /**
   * Restacks per-slice maps into volumes: the inverse of the slice order of {@link
   * #neighbourSlices}.
   *
   * @param perSlice (B·D)×C×H×W, slab-major
   * @param batch B
   * @return B×C×D×H×W
   */
  public static NDArray restack(NDArray perSlice, long batch) {
    Shape s = perSlice.getShape();
    return perSlice
        .reshape(batch, s.get(0) / batch, s.get(1), s.get(2), s.get(3))
        .transpose(0, 2, 1, 3, 4);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    requireInput(in);
    Shape logits = Spatial.withChannels(in, config.classes());
    return switch (stage) {
      case TWO_D, THREE_D -> new Shape[] {logits};
      case END_TO_END -> new Shape[] {logits, logits};
    };
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape in = inputShapes[0];
    requireInput(in);
    long batch = in.get(0);
    long depth = in.get(2);
    net2d.initialize(manager, dataType, new Shape(batch * depth, 3, in.get(3), in.get(4)));
    net3d.initialize(manager, dataType, Spatial.withChannels(in, 1L + config.classes()));
    Shape features = Spatial.withChannels(in, config.hffWidth());
    fusion.initialize(manager, dataType, features, features);
  }

  private void requireInput(Shape shape) {
    if (shape.dimension() != 5 || shape.get(1) != 1) {
      throw new IllegalArgumentException("H-DenseUNet needs a B×1×D×H×W slab, got " + shape);
    }
    config.requireInPlane(shape.get(3), shape.get(4));
  }
}
