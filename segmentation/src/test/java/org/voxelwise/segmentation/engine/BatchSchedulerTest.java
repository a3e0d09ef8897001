package org.voxelwise.segmentation.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.EngineException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Out-of-memory handling: smaller batches first, then the CPU; other failures propagate. */
class BatchSchedulerTest {

  @Test
  void outOfMemoryHalvesTheBatchThenMovesToTheCpu() {
    List<String> warnings = new ArrayList<>();
    List<String> ran = new ArrayList<>();
    boolean[] onCpu = {false};
    int[] afterBatch = {0};
    int last =
        BatchScheduler.run(
            5,
            4,
            (first, count) -> {
              if (!onCpu[0]) {
                throw new EngineException("CUDA out of memory. Tried to allocate 2.00 GiB");
              }
              ran.add(first + "+" + count);
            },
            () -> {
              boolean was = onCpu[0];
              onCpu[0] = true;
              return !was;
            },
            warnings,
            () -> afterBatch[0]++);
    assertEquals(1, last);
    assertEquals(List.of("0+1", "1+1", "2+1", "3+1", "4+1"), ran);
    assertEquals(5, afterBatch[0]);
    assertEquals(3, warnings.size(), warnings::toString);
    assertEquals("out of device memory: retrying with batches of 2", warnings.get(0));
  }

  @Test
  void otherFailuresAndOutOfMemoryOnTheCpuPropagate() {
    List<String> warnings = new ArrayList<>();
    assertThrows(
        EngineException.class,
        () ->
            BatchScheduler.run(
                2,
                1,
                (first, count) -> {
                  throw new EngineException("shape mismatch");
                },
                () -> true,
                warnings,
                () -> {}));
    assertThrows(
        EngineException.class,
        () ->
            BatchScheduler.run(
                2,
                1,
                (first, count) -> {
                  throw new EngineException("out of memory");
                },
                () -> false,
                warnings,
                () -> {}));
    assertEquals(List.of(), warnings);
  }
}
