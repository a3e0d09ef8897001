package org.voxelwise.segmentation.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * A quick validation of a network on fixed slabs: for each case, the slabs centred on its liver
 * centroid and one slab depth above and below, each a square tile around the centroid, run in
 * inference mode; the argmax prediction is compared to the labels. Liver Dice counts liver and
 * tumor voxels as liver; tumor Dice counts tumor voxels. Both are global over all slabs ({@code 2
 * TP / (2 TP + FP + FN)}, 1 when both are empty).
 */
public final class Validation {

  private final List<CropSampler.Crop> slabs = new ArrayList<>();

  /**
   * The Dice of one validation.
   *
   * @param liver liver Dice, in [0, 1]
   * @param tumor tumor Dice, in [0, 1]
   */
  public record Dice(double liver, double tumor) {
    /**
     * The score the best checkpoint is chosen by: the mean of both.
     *
     * @return (liver + tumor) / 2
     */
    public double score() {
      return (liver + tumor) / 2;
    }
  }

  /**
   * Cuts the validation slabs.
   *
   * @param cases the validation cases
   * @param sampler cuts the slabs (its size is the tile)
   * @param depth slices per slab
   */
  public Validation(List<TrainingCase> cases, CropSampler sampler, int depth) {
    for (TrainingCase c : cases) {
      int[] centre = c.liverCentroid();
      for (int k = -1; k <= 1; k++) {
        slabs.add(sampler.centred(c, centre[0], centre[1], centre[2] + k * depth));
      }
    }
  }

  /**
   * Runs the model's network (in its current stage, inference mode) on every slab.
   *
   * @param model a model whose block is an H-DenseUNet
   * @return the Dice
   */
  public Dice evaluate(Model model) {
    long[] liver = new long[3];
    long[] tumor = new long[3];
    for (CropSampler.Crop slab : slabs) {
      try (NDManager manager = model.getNDManager().newSubManager()) {
        NDArray input =
            manager.create(slab.image(), new Shape(1, 1, slab.depth(), slab.size(), slab.size()));
        NDList out =
            model.getBlock().forward(new ParameterStore(manager, false), new NDList(input), false);
        long[] predicted = out.get(0).argMax(1).toLongArray();
        int[] truth = slab.labels();
        for (int i = 0; i < truth.length; i++) {
          count(liver, predicted[i] >= 1, truth[i] >= 1);
          count(tumor, predicted[i] == 2, truth[i] == 2);
        }
      }
    }
    return new Dice(dice(liver), dice(tumor));
  }

  private static void count(long[] counts, boolean predicted, boolean truth) {
    if (predicted && truth) {
      counts[0]++;
    } else if (predicted) {
      counts[1]++;
    } else if (truth) {
      counts[2]++;
    }
  }

  private static double dice(long[] c) {
    long denominator = 2 * c[0] + c[1] + c[2];
    return denominator == 0 ? 1 : 2.0 * c[0] / denominator;
  }
}
