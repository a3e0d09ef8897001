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
 * convolutions and poolings of that geometry, converts arrays between the public layout and the
 * layout the layers run in, and upsamples feature maps.
 *
 * <p>{@link #SLAB} runs its layers on N×C×H×W×D arrays (z last). PyTorch's CPU convolution takes
 * its fast oneDNN path only when the batch is above 1 or N·C·(axis 2)·(axis 3) exceeds 20 480; with
 * z on axis 2, one slab of 8 slices (1×16×8×128×128) falls back to the slow native 3D convolution,
 * 6× slower than the same convolution with z last (measured on 2 cores: 400 vs 65 ms). Both layouts
 * have the in-plane axes on 2 and 3 internally.
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

    @Override
    NDArray toLayers(NDArray x) {
      return x;
    }

    @Override
    NDArray fromLayers(NDArray x) {
      return x;
    }

    @Override
    Shape toLayers(Shape shape) {
      return shape;
    }
  },
  /**
   * 3D with in-plane-only resolution changes: kernels are 3 deep along z (1 for 1×1 convolutions),
   * strides and pooling halve y and x only, upsampling doubles y and x only.
   */
  SLAB(5) {
    @Override
    Block conv(int filters, int kernel, int stride, boolean bias) {
      int depth = kernel == 1 ? 1 : 3;
      return Conv3d.builder()
          .setFilters(filters)
          .setKernelShape(new Shape(kernel, kernel, depth))
          .optStride(new Shape(stride, stride, 1))
          .optPadding(new Shape(kernel / 2, kernel / 2, depth / 2))
          .optBias(bias)
          .build();
    }

    @Override
    Block stemPool() {
      return Pool.maxPool3dBlock(new Shape(3, 3, 1), new Shape(2, 2, 1), new Shape(1, 1, 0));
    }

    @Override
    Block halvingAvgPool() {
      return Pool.avgPool3dBlock(new Shape(2, 2, 1), new Shape(2, 2, 1));
    }

    @Override
    NDArray toLayers(NDArray x) {
      return x.transpose(0, 1, 3, 4, 2);
    }

    @Override
    NDArray fromLayers(NDArray x) {
      return x.transpose(0, 1, 4, 2, 3);
    }

    @Override
    Shape toLayers(Shape shape) {
      return new Shape(shape.get(0), shape.get(1), shape.get(3), shape.get(4), shape.get(2));
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
   * A convolution with "same" padding, in the layers' layout: {@code kernel} is the in-plane size
   * (odd), {@code stride} the in-plane stride.
   */
  abstract Block conv(int filters, int kernel, int stride, boolean bias);

  /** The stem's 3×3 max pooling with stride 2 and padding 1, in-plane. */
  abstract Block stemPool();

  /** The transitions' 2×2 average pooling with stride 2, in-plane. */
  abstract Block halvingAvgPool();

  /** From the public layout (N×C×H×W or N×C×D×H×W) to the layers' layout. */
  abstract NDArray toLayers(NDArray x);

  /** From the layers' layout back to the public layout. */
  abstract NDArray fromLayers(NDArray x);

  /** The shape {@link #toLayers(NDArray)} gives. */
  abstract Shape toLayers(Shape shape);

  /** Nearest-neighbour 2× upsampling of the in-plane axes (2 and 3 in the layers' layout). */
  NDArray upsample(NDArray x) {
    return x.repeat(2, 2).repeat(3, 2);
  }

  /** The shape of {@link #upsample(NDArray)}'s result. */
  Shape upsampled(Shape shape) {
    long[] dims = shape.getShape().clone();
    dims[2] *= 2;
    dims[3] *= 2;
    return new Shape(dims);
  }

  /** The same shape with {@code channels} on axis 1. */
  static Shape withChannels(Shape shape, long channels) {
    long[] dims = shape.getShape().clone();
    dims[1] = channels;
    return new Shape(dims);
  }
}
