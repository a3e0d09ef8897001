package org.voxelwise.segmentation.hdenseunet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.simulate.AbdominalPhantom;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.LiverTumorLabels;
import org.voxelwise.imaging.volume.Volume;
import org.voxelwise.segmentation.engine.DeviceChoice;
import org.voxelwise.segmentation.engine.DjlEnvironment;
import org.voxelwise.segmentation.metrics.SegmentationMetrics;

/**
 * The shipped liver model: it loads from the class path and runs on a slab; on a held-out simulated
 * abdomen it reaches a liver Dice floor; on a head it finds (near) no liver.
 */
class ShippedModelTest {
  /**
   * Liver Dice (liver + tumor against the truth's liver + tumor) the shipped model must reach on
   * the held-out case below. Why 0.80: the target of issue 4 is 0.95 per case and the model card's
   * held-out evaluation (seeds 10000–10019) is the place to report how close a model comes; this
   * test only has to catch a model or pipeline that is broken — wrong or untrained weights, a
   * flipped axis, a spacing or resampling error, a broken cascade — all of which give a Dice far
   * below 0.5 (random weights: under 0.3; a half-slice shift of the labels on this case: about 0.8
   * is already lost to the boundary). 0.80 leaves 0.15 below the target for case-to-case variance,
   * so that a retrained model near the target never fails it by chance. Tumor Dice is not floored:
   * the card's held-out tumor Dice is far below any useful floor for now.
   */
  static final double LIVER_DICE_FLOOR = 0.80;

  /** A held-out seed (≥ 10 000: never a training or validation case). */
  static final long HELD_OUT_SEED = 10_007;

  /**
   * At most this much "liver" (mL, liver + tumor) on a head: the post-processing drops livers below
   * {@link LiverTumorSegmenter#MIN_LIVER_ML}, so anything above this is a hallucinated organ.
   */
  static final double HEAD_LIVER_CEILING_ML = 5;

  @Test
  void aHeldOutAbdomenReachesTheLiverDiceFloor() throws Exception {
    AbdominalPhantom.Study study =
        AbdominalPhantom.generate(AbdominalPhantom.Parameters.defaults(), HELD_OUT_SEED);
    try (LiverTumorSegmenter segmenter = shipped()) {
      LiverTumorSegmenter.Result r =
          segmenter.segment(study.ct(), "seed " + HELD_OUT_SEED, ProgressListener.NONE);
      double dice =
          SegmentationMetrics.dice(
              atLeast(r.labels().values(), LiverTumorLabels.LIVER),
              atLeast(study.labels().values(), LiverTumorLabels.LIVER));
      System.out.printf(
          Locale.ROOT,
          "shipped model, held-out seed %d: liver Dice %.3f, tumor Dice %.3f, %s%n",
          HELD_OUT_SEED,
          dice,
          SegmentationMetrics.dice(
              SegmentationMetrics.mask(r.labels().values(), LiverTumorLabels.TUMOR),
              SegmentationMetrics.mask(study.labels().values(), LiverTumorLabels.TUMOR)),
          r.timingsMs());
      assertTrue(dice >= LIVER_DICE_FLOOR, "liver Dice " + dice + " below " + LIVER_DICE_FLOOR);
    }
  }

  @Test
  void aHeadGivesNearlyNoLiver() throws Exception {
    Volume head = headPhantom();
    try (LiverTumorSegmenter segmenter = shipped()) {
      LiverTumorSegmenter.Result r = segmenter.segment(head, "head", ProgressListener.NONE);
      double ml =
          r.labels().volumeMl(LiverTumorLabels.LIVER) + r.labels().volumeMl(LiverTumorLabels.TUMOR);
      System.out.printf(Locale.ROOT, "head: %.2f mL of liver + tumor, %s%n", ml, r.warnings());
      assertTrue(ml <= HEAD_LIVER_CEILING_ML, ml + " mL of liver in a head: " + r.warnings());
    }
  }

  /**
   * A head CT: air, a skin layer (40 HU), a 6 mm skull (900 HU), brain (35 HU: grey/white matter,
   * close to liver's HU, so HU alone cannot tell them apart), two ventricles (5 HU), 10 HU noise;
   * 160×192×60 voxels of 1.2×1.2×2.5 mm.
   */
  private static Volume headPhantom() {
    int nx = 160;
    int ny = 192;
    int nz = 60;
    double[] s = {1.2, 1.2, 2.5};
    Geometry g = Geometry.axisAligned(nx, ny, nz, s, new double[] {-96, -115, -75});
    short[] hu = new short[nx * ny * nz];
    Random random = new Random(3);
    int i = 0;
    for (int z = 0; z < nz; z++) {
      for (int y = 0; y < ny; y++) {
        for (int x = 0; x < nx; x++, i++) {
          double px = (x - nx / 2.0) * s[0];
          double py = (y - ny / 2.0) * s[1];
          double pz = (z - nz / 2.0) * s[2];
          double r = Math.sqrt(sq(px / 78) + sq(py / 95) + sq(pz / 70));
          double mm = (1 - r) * 80; // roughly: depth below the outer surface in mm
          double v;
          if (r > 1) {
            v = -1000;
          } else if (mm < 3) {
            v = 40;
          } else if (mm < 9) {
            v = 900;
          } else if (sq((Math.abs(px) - 9) / 5) + sq(py / 22) + sq((pz - 5) / 14) <= 1) {
            v = 5;
          } else {
            v = 35;
          }
          hu[i] = (short) Math.round(v + random.nextGaussian() * 10);
        }
      }
    }
    return Volume.ofShorts(g, "CT", hu);
  }

  private static double sq(double v) {
    return v * v;
  }

  private static boolean[] atLeast(byte[] labels, int value) {
    boolean[] m = new boolean[labels.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = (labels[i] & 0xff) >= value;
    }
    return m;
  }

  private static LiverTumorSegmenter shipped() throws Exception {
    DjlEnvironment.configure();
    Path folder =
        HDenseUNetModelDirectory.builtIn()
            .orElseThrow(() -> new AssertionError("no built-in model on the class path"));
    return LiverTumorSegmenter.open(folder, DeviceChoice.CPU);
  }

  @Test
  void theShippedLiverModelLoadsAndRuns() throws IOException {
    DjlEnvironment.configure();
    Device cpu = DeviceChoice.CPU.select(0);
    Path folder =
        HDenseUNetModelDirectory.builtIn()
            .orElseThrow(() -> new AssertionError("no built-in model on the class path"));
    try (HDenseUNetModelFiles.Loaded loaded = HDenseUNetModelFiles.load(folder, cpu)) {
      ModelCard card = loaded.card();
      assertEquals(ModelCard.LIVER_ID, card.id());
      assertEquals(HDenseUNetConfig.cpu(), card.config());
      assertEquals(card.stage(), loaded.network().stage());
      assertEquals(ModelCard.LIVER_CLASSES, card.classNames());
      assertEquals(0.9, card.thresholds().get("tumor"));
      assertEquals(-200f, card.preprocessing().huMin());
      try (NDManager manager = loaded.model().getNDManager().newSubManager()) {
        NDArray slab =
            manager.full(new Shape(1, 1, 8, 64, 64), card.preprocessing().normalise(-1000));
        NDList out =
            loaded
                .model()
                .getBlock()
                .forward(new ParameterStore(manager, false), new NDList(slab), false);
        assertEquals(new Shape(1, 3, 8, 64, 64), out.get(0).getShape());
        // air is background
        NDArray argmax = out.get(0).argMax(1);
        assertTrue(argmax.eq(0).all().getBoolean(), "air predicted as background");
      }
    }
  }
}
