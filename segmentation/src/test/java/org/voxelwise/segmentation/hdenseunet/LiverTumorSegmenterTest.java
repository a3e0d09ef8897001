package org.voxelwise.segmentation.hdenseunet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.progress.OperationCancelledException;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.simulate.AbdominalPhantom;
import org.voxelwise.imaging.simulate.CalibrationPhantom;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.LabelVolume;
import org.voxelwise.imaging.volume.LiverTumorLabels;
import org.voxelwise.imaging.volume.Volume;
import org.voxelwise.imaging.volume.ops.ConnectedComponents;
import org.voxelwise.imaging.volume.ops.ConnectedComponents.Connectivity;
import org.voxelwise.imaging.volume.ops.Morphology;
import org.voxelwise.segmentation.engine.DeviceChoice;

/**
 * The liver/tumor pipeline end to end with a randomly initialised cpu() model: the mechanics
 * (geometry, label values, post-processing invariants, timings, errors), not the quality, which
 * needs trained weights.
 */
class LiverTumorSegmenterTest {
  @TempDir static Path modelDir;
  private static LiverTumorSegmenter segmenter;

  @BeforeAll
  static void open() throws Exception {
    // a coarser grid than the input's (3 × 3 × 5 mm), so that both resampling steps run
    TestModels.saveRandom(modelDir, new double[] {4, 4, 6});
    segmenter = LiverTumorSegmenter.open(modelDir, DeviceChoice.CPU);
  }

  @AfterAll
  static void close() {
    segmenter.close();
  }

  private static AbdominalPhantom.Study smallCase(long seed) {
    return AbdominalPhantom.generate(
        AbdominalPhantom.Parameters.defaults()
            .withSize(128, 128, 40)
            .withSpacing(new double[] {3, 3, 5}),
        seed);
  }

  @Test
  void abdominalCaseRunsEndToEndOnTheInputGeometry() throws Exception {
    Volume ct = smallCase(10_000).ct();
    List<Double> fractions = new ArrayList<>();
    LiverTumorSegmenter.Result r = segmenter.segment(ct, "case 10000", (f, m) -> fractions.add(f));
    LabelVolume labels = r.labels();
    assertEquals(ct.geometry(), labels.geometry());
    assertEquals(LiverTumorLabels.TABLE, labels.table());
    for (byte b : labels.values()) {
      assertTrue(b >= 0 && b <= 2, "label " + b);
    }
    // one connected liver (tumor included); tumor only within the tumor margin of it (plus the
    // one-voxel slack of nearest-neighbour resampling)
    boolean[] labelled = new boolean[labels.values().length];
    for (int i = 0; i < labelled.length; i++) {
      labelled[i] = labels.valueAt(i) != 0;
    }
    Geometry g = ct.geometry();
    boolean[] liver =
        ConnectedComponents.largest(
            labelled, g.sizeX(), g.sizeY(), g.sizeZ(), Connectivity.TWENTY_SIX);
    boolean[] near =
        Morphology.dilateMm(liver, g, LiverTumorSegmenter.TUMOR_MARGIN_MM + Math.sqrt(3 * 6 * 6));
    for (int i = 0; i < labelled.length; i++) {
      if (labelled[i] && !liver[i]) {
        assertEquals(LiverTumorLabels.TUMOR, labels.valueAt(i), "liver outside the largest part");
        assertTrue(near[i], "tumor voxel " + i + " far from the liver");
      }
    }
    assertEquals("cpu", r.device());
    assertTrue(r.timingsMs().keySet().containsAll(List.of("resample", "localise", "resampleBack")));
    if (!r.warnings().stream().anyMatch(w -> w.contains("no liver"))) {
      assertTrue(r.timingsMs().keySet().containsAll(List.of("infer", "postprocess")));
    }
    assertEquals(1.0, fractions.get(fractions.size() - 1));
    System.out.println(
        "pipeline on 128×128×40 at 3×3×5 mm: "
            + r.timingsMs()
            + " liver/tumor voxels "
            + labels.count(1)
            + "/"
            + labels.count(2)
            + " "
            + r.warnings());
  }

  @Test
  void modelGridKeepsTheExtentAndAxes() {
    Geometry g =
        new Geometry(
            100,
            80,
            30,
            new double[] {0.8, 0.8, 2},
            new double[] {-40, -30, 10},
            new double[] {1, 0, 0},
            new double[] {0, 0.8, 0.6},
            new double[] {0, -0.6, 0.8});
    Geometry m = LiverTumorSegmenter.modelGrid(g, new double[] {1.6, 1.6, 4});
    assertEquals(50, m.sizeX());
    assertEquals(40, m.sizeY());
    assertEquals(15, m.sizeZ());
    assertArrayEquals(g.axisY(), m.axisY(), 1e-12);
    // the first voxel's corner stays where it was
    double[] a = g.voxelToPatient(-0.5, -0.5, -0.5);
    double[] b = m.voxelToPatient(-0.5, -0.5, -0.5);
    assertArrayEquals(a, b, 1e-9);
  }

  @Test
  void badInputsAreRefusedWithAClearReason() {
    Geometry one = Geometry.axisAligned(128, 128, 1, new double[] {1, 1, 5}, new double[3]);
    assertBad(Volume.ofShorts(one, "CT", new short[128 * 128]), "single 2D image");
    Geometry thin = Geometry.axisAligned(128, 128, 6, new double[] {1, 1, 5}, new double[3]);
    assertBad(Volume.ofShorts(thin, "CT", new short[128 * 128 * 6]), "only 30.0 mm along z");
    Geometry narrow = Geometry.axisAligned(48, 128, 20, new double[] {1, 1, 5}, new double[3]);
    assertBad(Volume.ofShorts(narrow, "CT", new short[48 * 128 * 20]), "48×128 pixels");
    Geometry ok = Geometry.axisAligned(64, 64, 20, new double[] {1, 1, 5}, new double[3]);
    assertBad(Volume.ofShorts(ok, "MR", new short[64 * 64 * 20]), "modality MR");
  }

  @Test
  void unknownModalityIsTakenForCtWithAWarning() throws Exception {
    Geometry g = Geometry.axisAligned(64, 64, 20, new double[] {1, 1, 5}, new double[3]);
    List<String> warnings = new ArrayList<>();
    LiverTumorSegmenter.validate(Volume.ofShorts(g, "", new short[64 * 64 * 20]), "in", warnings);
    assertEquals(1, warnings.size());
    assertTrue(warnings.get(0).contains("taken for CT"), warnings::toString);
    LiverTumorSegmenter.validate(Volume.ofShorts(g, "ct", new short[64 * 64 * 20]), "in", warnings);
    assertEquals(1, warnings.size());
  }

  private static void assertBad(Volume v, String expected) {
    BadInputException e =
        assertThrows(
            BadInputException.class, () -> segmenter.segment(v, "input", ProgressListener.NONE));
    assertTrue(e.getMessage().startsWith("input: "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void cancellationStopsTheWork() {
    Volume ct = smallCase(10_001).ct();
    AtomicInteger updates = new AtomicInteger();
    ProgressListener cancelling =
        new ProgressListener() {
          @Override
          public void update(double fraction, String message) {
            updates.incrementAndGet();
          }

          @Override
          public boolean isCancelled() {
            return updates.get() > 1;
          }
        };
    assertThrows(
        OperationCancelledException.class, () -> segmenter.segment(ct, "case", cancelling));
  }

  @Test
  void waterCylinderGivesValidLabelsWithRandomWeights() throws Exception {
    Volume water = CalibrationPhantom.create(96, 96, 12, new double[] {3, 3, 5}, 1, 10);
    LiverTumorSegmenter.Result r = segmenter.segment(water, "water", ProgressListener.NONE);
    assertEquals(water.geometry(), r.labels().geometry());
    // random weights may call the cylinder liver: only the mechanics are checked here
    assertTrue(r.labels().count(0) + r.labels().count(1) + r.labels().count(2) == 96 * 96 * 12);
  }

  @Test
  void waterCylinderHasNoLiverWithTheShippedModel() throws Exception {
    Optional<Path> builtIn = HDenseUNetModelDirectory.builtIn();
    assumeTrue(builtIn.isPresent(), "no built-in model on the class path yet");
    Volume water = CalibrationPhantom.createDefault(1);
    try (LiverTumorSegmenter shipped = LiverTumorSegmenter.open(builtIn.get(), DeviceChoice.CPU)) {
      LiverTumorSegmenter.Result r = shipped.segment(water, "water", ProgressListener.NONE);
      assertTrue(r.labels().volumeMl(LiverTumorLabels.LIVER) < 1.0, r.warnings()::toString);
      assertEquals(0, r.labels().count(LiverTumorLabels.TUMOR));
    }
  }
}
