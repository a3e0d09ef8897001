package org.voxelwise.segmentation.hdenseunet;

import ai.djl.ndarray.types.Shape;

/**
 * Everything that decides the structure of an {@link HDenseUNet}: the two encoders, the slab depth,
 * the width of the hybrid feature fusion, the fusion's dropout and the number of classes. The same
 * code builds the paper-sized network ({@link #paper()}) and one that trains on a laptop CPU
 * ({@link #cpu()}).
 *
 * <p>The in-plane size of an input is free as long as each side is a multiple of {@link
 * #inPlaneMultiple()}; the number of slices is free too (no layer pools or strides along z), and
 * {@link #slabDepth()} is the depth the model is trained and run on.
 *
 * @param net2d the 2D DenseUNet's encoder
 * @param net3d the 3D DenseUNet's encoder
 * @param slabDepth slices in the slab the model is trained and run on (paper: 12; public code: 8),
 *     1 or more
 * @param hffWidth channels of the features both decoders end with and of the fusion's 3×3×3
 *     convolution (paper: 64), 1 or more
 * @param dropout dropout rate of the fusion layer, in [0, 1) (paper: 0.3)
 * @param classes output classes (3: background, liver, tumor), 2 or more
 */
public record HDenseUNetConfig(
    DenseNetSpec net2d,
    DenseNetSpec net3d,
    int slabDepth,
    int hffWidth,
    float dropout,
    int classes) {

  /**
   * Validates the arguments.
   *
   * @throws IllegalArgumentException if a spec is missing or a number is out of range
   */
  public HDenseUNetConfig {
    if (net2d == null || net3d == null) {
      throw new IllegalArgumentException("both encoders must be given");
    }
    if (slabDepth < 1 || hffWidth < 1) {
      throw new IllegalArgumentException(
          "slabDepth and hffWidth must be 1 or more, got " + slabDepth + " and " + hffWidth);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }
    if (classes < 2) {
      throw new IllegalArgumentException("classes must be 2 or more, got " + classes);
    }
  }

  /**
   * The paper's H-DenseUNet-167 (Li et al. 2018): a DenseNet-161 2D encoder (growth 48, 96 initial
   * filters, blocks [6, 12, 36, 24], compression 0.5), a 3D encoder with growth 32, 96 initial
   * filters and blocks [3, 4, 12, 8], slabs of 12 slices, HFF width 64, dropout 0.3 and 3 classes.
   * 59.2 M learnable parameters; far too large to train on a CPU.
   *
   * @return the paper-sized configuration
   */
  public static HDenseUNetConfig paper() {
    return new HDenseUNetConfig(
        new DenseNetSpec(48, 96, new int[] {6, 12, 36, 24}, 0.5),
        new DenseNetSpec(32, 96, new int[] {3, 4, 12, 8}, 0.5),
        12,
        64,
        0.3f,
        3);
  }

  /**
   * The same structure, narrowed and shortened so that it trains on two CPU cores: 2D growth 12, 32
   * initial filters, blocks [2, 3, 4, 3]; 3D growth 8, 16 initial filters, blocks [2, 2, 3, 2];
   * compression 0.5; slabs of 8 slices; HFF width 16 (the full-resolution convolutions dominate the
   * cost); dropout 0.3; 3 classes. 0.39 M learnable parameters.
   *
   * @return the CPU-sized configuration
   */
  public static HDenseUNetConfig cpu() {
    return new HDenseUNetConfig(
        new DenseNetSpec(12, 32, new int[] {2, 3, 4, 3}, 0.5),
        new DenseNetSpec(8, 16, new int[] {2, 2, 3, 2}, 0.5),
        8,
        16,
        0.3f,
        3);
  }

  /**
   * The number each in-plane side of an input must be a multiple of: the larger in-plane reduction
   * of the two encoders.
   *
   * @return a power of two
   */
  public int inPlaneMultiple() {
    return Math.max(net2d.inPlaneReduction(), net3d.inPlaneReduction());
  }

  /**
   * The shape of a batch of slabs for this model, {@code batch × 1 × slabDepth × height × width}.
   *
   * @param batch slabs in the batch, 1 or more
   * @param height rows of each slice, a positive multiple of {@link #inPlaneMultiple()}
   * @param width columns of each slice, a positive multiple of {@link #inPlaneMultiple()}
   * @return the input shape
   * @throws IllegalArgumentException if a size does not fit
   */
  public Shape inputShape(int batch, int height, int width) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be 1 or more, got " + batch);
    }
    requireInPlane(height, width);
    return new Shape(batch, 1, slabDepth, height, width);
  }

  /**
   * Checks that an in-plane size fits both encoders.
   *
   * @param height rows of each slice
   * @param width columns of each slice
   * @throws IllegalArgumentException if a side is not a positive multiple of {@link
   *     #inPlaneMultiple()}
   */
  public void requireInPlane(long height, long width) {
    int multiple = inPlaneMultiple();
    if (height < 1 || width < 1 || height % multiple != 0 || width % multiple != 0) {
      throw new IllegalArgumentException(
          "in-plane size "
              + height
              + "×"
              + width
              + " must be a positive multiple of "
              + multiple
              + " on each side");
    }
  }
}
