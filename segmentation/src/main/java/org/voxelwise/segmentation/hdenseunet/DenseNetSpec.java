package org.voxelwise.segmentation.hdenseunet;

import java.util.Arrays;

/**
 * The shape of one DenseNet encoder (the 2D or the 3D branch of H-DenseUNet): the number of feature
 * maps each dense layer adds, the width of the stem, the number of dense layers in each dense
 * block, and the compression of the transitions between blocks.
 *
 * <p>Channel counts follow DenseNet-BC: the stem gives {@code initialFilters} channels; a dense
 * block of {@code L} layers turns {@code c} channels into {@code c + L · growthRate}; a transition
 * turns {@code c} into {@code floor(c · compression)}. {@link #blockOutputChannels()} lists the
 * result for each block.
 *
 * @param growthRate feature maps added by each dense layer (paper: 48 in 2D, 32 in 3D), 1 or more
 * @param initialFilters channels of the stem convolution (paper: 96), 1 or more
 * @param blockDepths dense layers in each dense block (paper 2D: [6, 12, 36, 24]; 3D: [3, 4, 12,
 *     8]), at least one block, each 1 or more; the array is copied
 * @param compression channel factor of the transitions, in (0, 1] (paper: 0.5)
 */
public record DenseNetSpec(
    int growthRate, int initialFilters, int[] blockDepths, double compression) {

  /**
   * Validates and copies the arguments.
   *
   * @throws IllegalArgumentException if a count is below 1, there is no block, or {@code
   *     compression} is outside (0, 1]
   */
  public DenseNetSpec {
    if (growthRate < 1 || initialFilters < 1) {
      throw new IllegalArgumentException(
          "growthRate and initialFilters must be 1 or more, got "
              + growthRate
              + " and "
              + initialFilters);
    }
    if (blockDepths == null || blockDepths.length == 0) {
      throw new IllegalArgumentException("at least one dense block is needed");
    }
    blockDepths = blockDepths.clone();
    for (int depth : blockDepths) {
      if (depth < 1) {
        throw new IllegalArgumentException(
            "each dense block needs 1 or more layers, got " + Arrays.toString(blockDepths));
      }
    }
    if (!(compression > 0 && compression <= 1)) {
      throw new IllegalArgumentException("compression must be in (0, 1], got " + compression);
    }
  }

  /**
   * The dense layers in each block.
   *
   * @return a copy of the block depths
   */
  @Override
  public int[] blockDepths() {
    return blockDepths.clone();
  }

  /**
   * The number of dense blocks, which is also the number of resolution levels below the stem.
   *
   * @return the length of {@link #blockDepths()}
   */
  public int levels() {
    return blockDepths.length;
  }

  /**
   * The channels that come out of each dense block, before its transition.
   *
   * @return one entry per block
   */
  public int[] blockOutputChannels() {
    int[] out = new int[blockDepths.length];
    int channels = initialFilters;
    for (int i = 0; i < blockDepths.length; i++) {
      channels += blockDepths[i] * growthRate;
      out[i] = channels;
      channels = transitionChannels(channels);
    }
    return out;
  }

  /**
   * The channels a transition gives for {@code channels} input channels.
   *
   * @param channels the channels of the dense block before the transition
   * @return {@code max(1, floor(channels · compression))}
   */
  public int transitionChannels(int channels) {
    return Math.max(1, (int) Math.floor(channels * compression));
  }

  /**
   * The factor by which the encoder reduces each in-plane side: 2 for the strided stem, 2 for the
   * stem's max pooling, and 2 for each transition.
   *
   * @return {@code 2^(levels + 1)}
   */
  public int inPlaneReduction() {
    return 1 << (levels() + 1);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DenseNetSpec that
        && growthRate == that.growthRate
        && initialFilters == that.initialFilters
        && Arrays.equals(blockDepths, that.blockDepths)
        && Double.compare(compression, that.compression) == 0;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * growthRate + initialFilters) + Arrays.hashCode(blockDepths))
        + Double.hashCode(compression);
  }

  @Override
  public String toString() {
    return "DenseNetSpec[growthRate="
        + growthRate
        + ", initialFilters="
        + initialFilters
        + ", blockDepths="
        + Arrays.toString(blockDepths)
        + ", compression="
        + compression
        + "]";
  }
}
