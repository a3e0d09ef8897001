package org.voxelwise.segmentation.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.LongFunction;
import java.util.function.LongUnaryOperator;

/**
 * A pool of simulated training cases, refreshed by a background producer thread: the producer
 * generates case after case ({@code generator(seeds(i))} for the i-th) and hands each over through
 * a one-place queue, so it stays at most one case ahead; {@link #draw} waits for the first case
 * only, adds each case the producer has ready until the pool is full (never waiting), then every
 * {@code replaceEvery} draws swaps the oldest case for a new one if the producer has one ready
 * (never blocking). Each case is thus reused for many crops.
 *
 * <p>The producer is a daemon thread of minimum priority; {@link #close} stops it.
 *
 * @param <C> the type of a case
 */
public final class CasePool<C> implements AutoCloseable {

  private final BlockingQueue<Object> ready = new ArrayBlockingQueue<>(1);
  private final List<C> pool = new ArrayList<>();
  private final int poolSize;
  private final int replaceEvery;
  private final Thread producer;
  private int oldest;
  private long draws;

  /**
   * Starts the producer.
   *
   * @param generator makes the case of a seed
   * @param seeds the seed of the i-th case generated
   * @param poolSize cases held at once, 1 or more
   * @param replaceEvery draws between replacements, 1 or more
   */
  public CasePool(
      LongFunction<C> generator, LongUnaryOperator seeds, int poolSize, int replaceEvery) {
    if (poolSize < 1 || replaceEvery < 1) {
      throw new IllegalArgumentException("poolSize and replaceEvery must be 1 or more");
    }
    this.poolSize = poolSize;
    this.replaceEvery = replaceEvery;
    producer =
        new Thread(
            () -> {
              try {
                for (long i = 0; ; i++) {
                  Object next;
                  try {
                    next = generator.apply(seeds.applyAsLong(i));
                  } catch (RuntimeException e) {
                    next = e;
                  }
                  ready.put(next);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "case-producer");
    producer.setDaemon(true);
    producer.setPriority(Thread.MIN_PRIORITY);
    producer.start();
  }

  /**
   * A random case of the pool, after filling or refreshing the pool as the class comment says.
   *
   * @param rng chooses the case
   * @return a case
   * @throws InterruptedException if interrupted while waiting for the first case
   * @throws IllegalStateException if generating a case failed
   */
  public C draw(Random rng) throws InterruptedException {
    if (pool.isEmpty()) {
      pool.add(unwrap(ready.take()));
    }
    draws++;
    if (pool.size() < poolSize) {
      Object next = ready.poll();
      if (next != null) {
        pool.add(unwrap(next));
      }
    } else if (draws % replaceEvery == 0) {
      Object next = ready.poll();
      if (next != null) {
        pool.set(oldest, unwrap(next));
        oldest = (oldest + 1) % poolSize;
      }
    }
    return pool.get(rng.nextInt(pool.size()));
  }

  @SuppressWarnings("unchecked")
  private C unwrap(Object next) {
    if (next instanceof RuntimeException e) {
      throw new IllegalStateException("generating a training case failed: " + e, e);
    }
    return (C) next;
  }

  /** Stops the producer thread. */
  @Override
  public void close() {
    producer.interrupt();
  }
}
