package org.voxelwise.app.viewer.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimeEstimateTest {
  @Test
  void timeLeftIsExtrapolatedFromTheRateSinceTheFirstReport() {
    TimeEstimate estimate = new TimeEstimate();
    long s = 1_000_000_000L;
    assertEquals(Optional.empty(), estimate.update(0, 0));
    assertEquals(Optional.empty(), estimate.update(0.1, s / 2), "too early");
    assertEquals(Duration.ofSeconds(8), estimate.update(0.2, 2 * s).orElseThrow());
    assertEquals(Optional.empty(), estimate.update(1, 3 * s));
    assertEquals("about 8 s", TimeEstimate.describe(Duration.ofSeconds(8)));
    assertEquals("about 2 min 5 s", TimeEstimate.describe(Duration.ofMillis(125_200)));
  }
}
