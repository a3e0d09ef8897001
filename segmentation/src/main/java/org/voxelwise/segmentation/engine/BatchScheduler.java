package org.voxelwise.segmentation.engine;

import ai.djl.engine.EngineException;
import java.util.List;
import java.util.Locale;

/**
 * Runs a sequence of work items in batches and copes with a GPU running out of memory: the batch is
 * halved and the failed batch retried, and once a single item does not fit, the work moves to the
 * CPU (each step adds a warning). Other failures propagate. Used by the liver/tumor segmenter and
 * the streak reducer.
 */
public final class BatchScheduler {
  /** Runs items {@code first} to {@code first + count − 1} as one batch. */
  public interface BatchRunner {
    void run(int first, int count);
  }

  /** Moves the work to the CPU; returns false when it already runs there. */
  public interface CpuFallback {
    boolean switchToCpu();
  }

  private BatchScheduler() {}

  /**
   * Runs {@code items} items, {@code batch} at a time at most.
   *
   * @return the batch size that ran last
   * @throws EngineException when a failure is not an out-of-memory one, or one item does not fit
   *     even on the CPU
   */
  public static int run(
      int items,
      int batch,
      BatchRunner runner,
      CpuFallback fallback,
      List<String> warnings,
      Runnable afterBatch) {
    int size = Math.max(1, batch);
    int next = 0;
    while (next < items) {
      int count = Math.min(size, items - next);
      try {
        runner.run(next, count);
      } catch (EngineException e) {
        if (!isOutOfMemory(e)) {
          throw e;
        }
        if (count > 1) {
          size = Math.max(1, count / 2);
          warnings.add("out of device memory: retrying with batches of " + size);
          continue;
        }
        if (!fallback.switchToCpu()) {
          throw e;
        }
        warnings.add("out of GPU memory even for one slab: went on on the CPU");
        continue;
      }
      next += count;
      afterBatch.run();
    }
    return size;
  }

  /** Whether a failure (or one of its causes) says that memory ran out. */
  public static boolean isOutOfMemory(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && m.toLowerCase(Locale.ROOT).contains("out of memory")) {
        return true;
      }
    }
    return false;
  }
}
