package org.voxelwise.imaging.progress;

/**
 * Receives the progress of a long operation and tells it whether to stop.
 *
 * <p>Implementations must be thread-safe: operations that work in parallel call them from several
 * threads. {@link #update} is called often and must return quickly.
 */
public interface ProgressListener {
  /** A listener that ignores progress and never cancels. */
  ProgressListener NONE = (fraction, message) -> {};

  /**
   * @param fraction done so far, from 0 to 1
   * @param message what is being done now, in words a user understands
   */
  void update(double fraction, String message);

  /** Whether the user asked to stop; long operations check this often and then throw. */
  default boolean isCancelled() {
    return false;
  }

  /**
   * Throws {@link OperationCancelledException} if the user asked to stop.
   *
   * @throws OperationCancelledException when {@link #isCancelled()} is true
   */
  default void checkCancelled() {
    if (isCancelled()) {
      throw new OperationCancelledException();
    }
  }

  /**
   * A view of this listener for one part of the work, mapping that part's 0..1 onto {@code from}..
   * {@code to} of the whole.
   */
  default ProgressListener part(double from, double to) {
    ProgressListener whole = this;
    return new ProgressListener() {
      @Override
      public void update(double fraction, String message) {
        whole.update(from + (to - from) * Math.max(0, Math.min(1, fraction)), message);
      }

      @Override
      public boolean isCancelled() {
        return whole.isCancelled();
      }
    };
  }
}
