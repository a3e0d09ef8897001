package org.voxelwise.app.viewer;

import javafx.concurrent.Task;
import org.voxelwise.imaging.progress.ProgressListener;

/**
 * A JavaFX {@link Task} whose work reports through a {@link ProgressListener}: the listener's
 * progress and message become the task's (thread-safe, coalesced onto the FX thread), and it says
 * "cancelled" once the task is cancelled or its thread interrupted.
 */
public abstract class ProgressTask<T> extends Task<T> {
  private final ProgressListener listener =
      new ProgressListener() {
        @Override
        public void update(double fraction, String message) {
          updateProgress(fraction, 1);
          updateMessage(message);
        }

        @Override
        public boolean isCancelled() {
          return ProgressTask.this.isCancelled() || Thread.currentThread().isInterrupted();
        }
      };

  @Override
  protected final T call() throws Exception {
    return run(listener);
  }

  /** The work, on the task's thread, reporting to {@code progress}. */
  protected abstract T run(ProgressListener progress) throws Exception;
}
