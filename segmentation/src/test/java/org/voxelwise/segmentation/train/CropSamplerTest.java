package org.voxelwise.segmentation.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.voxelwise.segmentation.hdenseunet.Preprocessing;

/** Slab crops: shape, label values, the bias towards the liver, and the HU normalisation. */
class CropSamplerTest {

  private static final Preprocessing PRE = Preprocessing.defaults(4, 16);

  /**
   * A 48×40×12 synthetic case: air (−1000 HU) with a 12×10×4 liver box (60 HU) at x 30–41, y 5–14,
   * z 6–9, holding a 2×2×2 tumor (10 HU) at x 34–35, y 8–9, z 7–8. The liver fills 1% of the
   * volume.
   */
  private static TrainingCase syntheticCase() {
    int sx = 48;
    int sy = 40;
    int sz = 12;
    float[] hu = new float[sx * sy * sz];
    byte[] labels = new byte[hu.length];
    java.util.List<Integer> liver = new java.util.ArrayList<>();
    java.util.List<Integer> tumor = new java.util.ArrayList<>();
    for (int z = 0; z < sz; z++) {
      for (int y = 0; y < sy; y++) {
        for (int x = 0; x < sx; x++) {
          int i = x + sx * (y + sy * z);
          boolean inLiver = x >= 30 && x <= 41 && y >= 5 && y <= 14 && z >= 6 && z <= 9;
          boolean inTumor = x >= 34 && x <= 35 && y >= 8 && y <= 9 && z >= 7 && z <= 8;
          labels[i] = (byte) (inTumor ? 2 : inLiver ? 1 : 0);
          hu[i] = inTumor ? 10 : inLiver ? 60 : -1000;
          if (inLiver) {
            liver.add(i);
          }
          if (inTumor) {
            tumor.add(i);
          }
        }
      }
    }
    return new TrainingCase(
        1,
        sx,
        sy,
        sz,
        hu,
        labels,
        liver.stream().mapToInt(Integer::intValue).toArray(),
        tumor.stream().mapToInt(Integer::intValue).toArray());
  }

  @Test
  void normalisationClipsToTheWindowAndScalesToMinusOneOne() {
    assertEquals(-1f, PRE.normalise(-1000f), 1e-6);
    assertEquals(-1f, PRE.normalise(-200f), 1e-6);
    assertEquals(0f, PRE.normalise(25f), 1e-6);
    assertEquals(1f, PRE.normalise(250f), 1e-6);
    assertEquals(1f, PRE.normalise(3000f), 1e-6);
    assertEquals((60f - 25f) / 225f, PRE.normalise(60f), 1e-6);
  }

  @Test
  void cropsHaveTheSlabShapeAndOnlyClassLabels() {
    TrainingCase c = syntheticCase();
    CropSampler sampler = new CropSampler(PRE, 4, 16);
    Random rng = new Random(3);
    for (int n = 0; n < 50; n++) {
      CropSampler.Crop crop = sampler.sample(c, rng, n % 2 == 0);
      assertEquals(4, crop.depth());
      assertEquals(16, crop.size());
      assertEquals(4 * 16 * 16, crop.image().length);
      assertEquals(crop.image().length, crop.labels().length);
      for (int i = 0; i < crop.labels().length; i++) {
        int label = crop.labels()[i];
        assertTrue(label >= 0 && label <= 2, "label " + label);
        assertTrue(crop.image()[i] >= -1.2f && crop.image()[i] <= 1.2f, "value " + crop.image()[i]);
      }
    }
  }

  @Test
  void aCentredCropWithoutAugmentationCopiesTheCaseExactly() {
    TrainingCase c = syntheticCase();
    CropSampler.Crop crop = new CropSampler(PRE, 4, 16).centred(c, 35, 10, 8);
    // slices 6–9, rows 2–17, columns 27–42
    int i = 0;
    for (int z = 6; z < 10; z++) {
      for (int y = 2; y < 18; y++) {
        for (int x = 27; x < 43; x++, i++) {
          int source = x + 48 * (y + 40 * z);
          assertEquals(c.labels()[source], crop.labels()[i], "label at " + x + "," + y + "," + z);
          assertEquals(PRE.normalise(c.hu()[source]), crop.image()[i], 1e-6);
        }
      }
    }
  }

  @Test
  void twoCropsInThreeCentreOnTheLiver() {
    TrainingCase c = syntheticCase();
    CropSampler sampler = new CropSampler(PRE, 4, 16);
    Random rng = new Random(5);
    int withLiver = 0;
    int withTumor = 0;
    int n = 600;
    for (int k = 0; k < n; k++) {
      CropSampler.Crop crop = sampler.sample(c, rng, true);
      boolean liver = false;
      boolean tumor = false;
      for (int label : crop.labels()) {
        liver |= label >= 1;
        tumor |= label == 2;
      }
      withLiver += liver ? 1 : 0;
      withTumor += tumor ? 1 : 0;
    }
    // Random crops would rarely reach a box filling 1% of the volume; liver- and tumor-centred
    // ones (2/3) always do.
    assertTrue(withLiver > 0.6 * n, withLiver + " of " + n + " crops show liver");
    assertTrue(withTumor > 0.3 * n, withTumor + " of " + n + " crops show tumor");
  }
}
