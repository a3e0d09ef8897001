package org.voxelwise.segmentation.rstar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.progress.OperationCancelledException;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;
import org.voxelwise.imaging.volume.Volume4D;
import org.voxelwise.segmentation.engine.DeviceChoice;
import org.voxelwise.segmentation.engine.DjlEnvironment;
import org.voxelwise.segmentation.rstar.Rstar4dModelCard.Stage;
import org.voxelwise.segmentation.rstar.Rstar4dModelCard.Variant;

/**
 * {@link StreakReducer} with a tiny random network: tiled equals untiled where a quarter of each
 * overlap covers the network's reach (13 slices along z, 18 pixels in-plane for two levels of
 * {@link Rstar4dModelFilesTest#TINY}), geometry and labels kept, cancel, bad input.
 */
class StreakReducerTest {

  @TempDir static Path dir;
  private static Path model;

  @BeforeAll
  static void prepare() throws Exception {
    DjlEnvironment.configure();
    model = dir.resolve("model");
    Rstar4dModelFilesTest.saveRandom(model, Variant.RSTAR4D, Stage.BLOCKS_4D);
  }

  private static StreakReducer reducer(StreakReducer.Tiling tiling) throws IOException {
    return new StreakReducer(Rstar4dModelFiles.load(model, Device.cpu()), tiling);
  }

  private static final StreakReducer.Tiling WHOLE =
      new StreakReducer.Tiling(Long.MAX_VALUE, 0, 0, 0, 0);

  /** Smooth anatomy-like values plus noise, HU, on a tilted, shifted grid. */
  private static Volume4D phases(int nx, int ny, int nz, int count, long seed) {
    Geometry g =
        new Geometry(
            nx,
            ny,
            nz,
            new double[] {1.5, 1.5, 2.5},
            new double[] {-40, 12, 300},
            new double[] {1, 0, 0},
            new double[] {0, 0.98, -0.19866},
            new double[] {0, 0.19866, 0.98});
    Random random = new Random(seed);
    List<Volume> volumes = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (int p = 0; p < count; p++) {
      float[] v = new float[nx * ny * nz];
      for (int z = 0, i = 0; z < nz; z++) {
        for (int y = 0; y < ny; y++) {
          for (int x = 0; x < nx; x++, i++) {
            v[i] =
                (float)
                    (300 * Math.sin(0.2 * x + 0.1 * p) * Math.cos(0.15 * y - 0.05 * z)
                        - 200
                        + 80 * random.nextGaussian());
          }
        }
      }
      volumes.add(Volume.ofFloats(g, "CT", v));
      labels.add(p * 100 / count + "%");
    }
    return new Volume4D(volumes, labels);
  }

  private static Volume mean(Volume4D phases) {
    float[] sum = new float[(int) phases.geometry().voxelCount()];
    for (Volume v : phases.phases()) {
      float[] a = v.toFloatArray();
      for (int i = 0; i < sum.length; i++) {
        sum[i] += a[i] / phases.phaseCount();
      }
    }
    return Volume.ofFloats(phases.geometry(), "CT", sum);
  }

  private static void assertSameResult(Volume4D expected, Volume4D actual, float toleranceHu) {
    for (int p = 0; p < expected.phaseCount(); p++) {
      assertArrayEquals(
          expected.phases().get(p).toFloatArray(),
          actual.phases().get(p).toFloatArray(),
          toleranceHu,
          "phase " + p);
    }
  }

  @Test
  void tilesAlongZEqualTheWholeVolumeAndKeepTheGeometry() throws Exception {
    Volume4D in = phases(14, 10, 64, 4, 1);
    Volume prior = mean(in);
    Volume4D whole;
    try (StreakReducer r = reducer(WHOLE)) {
      whole = r.reduce(in, prior, ProgressListener.NONE);
      assertEquals("cpu", r.deviceName());
      assertEquals("voxelwise-cbct-rstar4d", r.modelId());
      assertEquals("0.0.1", r.modelVersion());
      assertTrue(r.timingsMs().containsKey("infer"), r.timingsMs()::toString);
    }
    AtomicInteger tiles = new AtomicInteger();
    Volume4D tiled;
    try (StreakReducer r = reducer(new StreakReducer.Tiling(Long.MAX_VALUE, 56, 0, 60, 0))) {
      tiled =
          r.reduce(
              in,
              prior,
              (fraction, message) -> {
                if (message.startsWith("Tile ")) {
                  tiles.incrementAndGet();
                }
              });
    }
    assertEquals(2, tiles.get());
    assertSameResult(whole, tiled, 1e-2f);
    assertEquals(in.phaseLabels(), tiled.phaseLabels());
    for (Volume v : tiled.phases()) {
      assertTrue(v.geometry().sameGrid(in.geometry(), 1e-9));
      assertEquals("CT", v.modality());
    }
    // the network changed the images (it is not the identity)
    float[] before = in.phases().get(0).toFloatArray();
    float[] after = tiled.phases().get(0).toFloatArray();
    double diff = 0;
    for (int i = 0; i < before.length; i++) {
      diff += Math.abs(before[i] - after[i]);
    }
    assertTrue(diff / before.length > 1, "mean change " + diff / before.length);
  }

  @Test
  void tilesInPlaneEqualTheWholeImage() throws Exception {
    Volume4D in = phases(83, 84, 2, 3, 2);
    Volume prior = mean(in);
    Volume4D whole;
    try (StreakReducer r = reducer(WHOLE)) {
      whole = r.reduce(in, prior, ProgressListener.NONE);
    }
    AtomicInteger tiles = new AtomicInteger();
    Volume4D tiled;
    try (StreakReducer r = reducer(new StreakReducer.Tiling(Long.MAX_VALUE, 0, 76, 0, 80))) {
      tiled =
          r.reduce(
              in,
              prior,
              (fraction, message) -> {
                if (message.startsWith("Tile ")) {
                  tiles.incrementAndGet();
                }
              });
    }
    assertEquals(4, tiles.get());
    assertSameResult(whole, tiled, 1e-2f);
  }

  @Test
  void cancellingStopsBetweenTiles() throws Exception {
    Volume4D in = phases(14, 10, 64, 4, 3);
    AtomicInteger tiles = new AtomicInteger();
    ProgressListener cancelAfterOne =
        new ProgressListener() {
          @Override
          public void update(double fraction, String message) {
            if (message.startsWith("Tile ")) {
              tiles.incrementAndGet();
            }
          }

          @Override
          public boolean isCancelled() {
            return tiles.get() >= 1;
          }
        };
    try (StreakReducer r = reducer(new StreakReducer.Tiling(Long.MAX_VALUE, 2, 0, 8, 0))) {
      assertThrows(OperationCancelledException.class, () -> r.reduce(in, mean(in), cancelAfterOne));
    }
    assertEquals(1, tiles.get());
  }

  @Test
  void badInputGivesClearErrors() throws Exception {
    Volume4D two = phases(12, 12, 3, 2, 4);
    Volume4D four = phases(12, 12, 3, 4, 5);
    try (StreakReducer r = reducer(StreakReducer.Tiling.DEFAULT)) {
      BadInputException few =
          assertThrows(BadInputException.class, () -> r.reduce(two, mean(two), null));
      assertTrue(few.getMessage().contains("only 2 phases"), few::getMessage);
      assertTrue(few.getMessage().contains("at least 3"), few::getMessage);
      Volume4D one = new Volume4D(List.of(two.phases().get(0)), List.of("0%"));
      BadInputException single =
          assertThrows(BadInputException.class, () -> r.reduce(one, mean(one), null));
      assertTrue(single.getMessage().contains("a single 3D volume"), single::getMessage);
      Volume otherPrior = mean(phases(12, 12, 4, 3, 6));
      BadInputException prior =
          assertThrows(BadInputException.class, () -> r.reduce(four, otherPrior, null));
      assertEquals("the prior", prior.source());
      assertTrue(prior.problem().contains("12×12×4"), prior::getMessage);
    }
    List<Volume> mixed = new ArrayList<>(four.phases());
    mixed.set(2, phases(12, 10, 3, 1, 7).phases().get(0));
    BadInputException grids =
        assertThrows(
            BadInputException.class,
            () -> StreakReducer.phasesOf(mixed, four.phaseLabels(), "study.dcm"));
    assertEquals("study.dcm", grids.source());
    assertTrue(
        grids.problem().startsWith("phase 3 (50%) is on a grid of 12×10×3"), grids::getMessage);
  }

  @Test
  void withoutAShippedModelOpeningTheBuiltInOneSaysSo() throws Exception {
    if (Rstar4dModelFiles.builtIn().isPresent()) {
      try (StreakReducer r = StreakReducer.open(null, DeviceChoice.CPU)) {
        assertEquals("voxelwise-cbct-rstar4d", r.modelId());
      }
      return;
    }
    IOException e =
        assertThrows(IOException.class, () -> StreakReducer.open(null, DeviceChoice.CPU));
    assertTrue(e.getMessage().contains("ships no built-in RSTAR4D model"), e::getMessage);
  }
}
