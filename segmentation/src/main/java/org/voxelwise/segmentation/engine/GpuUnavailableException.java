package org.voxelwise.segmentation.engine;

/**
 * Thrown when the user asks for the GPU and PyTorch sees none: a bad request, not an internal
 * error. The message says what to do about it and is fit to show to the user as it is.
 */
public final class GpuUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with the standard explanation and remedy. */
  public GpuUnavailableException() {
    super(
        "--device gpu: no CUDA GPU is visible to PyTorch (build with -Pcuda and install an"
            + " NVIDIA driver for CUDA 12.4)");
  }
}
