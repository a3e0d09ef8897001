package org.voxelwise.imaging.progress;

/** Thrown by a long operation that stopped because its {@link ProgressListener} was cancelled. */
public class OperationCancelledException extends RuntimeException {
  public OperationCancelledException() {
    super("cancelled");
  }
}
