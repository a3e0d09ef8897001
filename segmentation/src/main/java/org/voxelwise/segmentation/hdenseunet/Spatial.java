package org.voxelwise.segmentation.hdenseunet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.pooling.Pool;

/**
 * The geometry a DenseUNet works in: {@link #PLANE} for N×C×H×W images, {@link #SLAB} for N×C×D×H×W
 * volumes that are downsampled and upsampled in-plane only (z keeps its size). Builds the
 * convolutions and poolings of that geometry and upsamples its feature maps.
 */
enum Spatial {
  /** 2D: square kernels, 2× pooling and upsampling in both directions. */
  PLANE(4) {
    @Override
    Block conv(int filters, int kernel, int stride, boolean bias) {
      return Conv2d.builder()
          .setFilters(filters)
          .setKernelShape(new Shape(kernel, kernel))
          .optStride(new Shape(stride, stride))
          .optPadding(new Shape(kernel / 2, kernel / 2))
          .optBias(bias)
          .build();
    }

    @Override
    Block stemPool() {
      return Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1));
    }

    @Override
    Block halvingAvgPool() {
      return Pool.avgPool2dBlock(new Shape(2, 2), new Shape(2, 2));
    }
  },
  /**
   * 3D with in-plane-only resolution changes: kernels are 3 deep (1 for 1×1 convolutions), strides
   * and pooling are (1, 2, 2), upsampling doubles y and x only.
   */
  SLAB(5) {
    @Override
    Block conv(int filters, int kernel, int stride, boolean bias) {
      int depth = kernel == 1 ? 1 : 3;
      return Conv3d.builder()
          .setFilters(filters)
          .setKernelShape(new Shape(depth, kernel, kernel))
          .optStride(new Shape(1, stride, stride))
          .optPadding(new Shape(depth / 2, kernel / 2, kernel / 2))
          .optBias(bias)
          .build();
    }

    @Override
    Block stemPool() {
      return Pool.maxPool3dBlock(new Shape(1, 3, 3), new Shape(1, 2, 2), new Shape(0, 1, 1));
    }

    @Override
    Block halvingAvgPool() {
      return Pool.avgPool3dBlock(new Shape(1, 2, 2), new Shape(1, 2, 2));
    }
  };

  private final int rank;

  Spatial(int rank) {
    this.rank = rank;
  }

  /** The rank of the arrays of this geometry, batch and channel axes included. */
  int rank() {
    return rank;
  }

  /**
   * A convolution with "same" padding: {@code kernel} is the in-plane size (odd), {@code stride}
   * the in-plane stride.
   */
  abstract Block conv(int filters, int kernel, int stride, boolean bias);

  /** The stem's 3×3 max pooling with stride 2 and padding 1, in-plane. */
  abstract Block stemPool();

  /** The transitions' 2×2 average pooling with stride 2, in-plane. */
  abstract Block halvingAvgPool();

  /** Nearest-neighbour 2× upsampling of the last two axes (y and x). */
  NDArray upsample(NDArray x) {
    return x.repeat(rank - 2, 2).repeat(rank - 1, 2);
  }

  /** The shape of {@link #upsample(NDArray)}'s result. */
  Shape upsampled(Shape shape) {
    long[] dims = shape.getShape().clone();
    dims[rank - 2] *= 2;
    dims[rank - 1] *= 2;
    return new Shape(dims);
  }

  /** The same shape with {@code channels} on axis 1. */
  static Shape withChannels(Shape shape, long channels) {
    long[] dims = shape.getShape().clone();
    dims[1] = channels;
    return new Shape(dims);
  }
}
