package org.voxelwise.segmentation.train;

import org.voxelwise.imaging.simulate.AbdominalPhantom;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.LiverTumorLabels;
import org.voxelwise.imaging.volume.Volume;

/**
 * One simulated case ready for cropping: its HU values and labels as flat arrays (index {@code x +
 * sizeX·(y + sizeY·z)}) and the indices of its liver and tumor voxels, for liver-biased sampling.
 *
 * @param seed the phantom seed
 * @param sizeX columns
 * @param sizeY rows
 * @param sizeZ slices
 * @param hu HU values, not clipped; not copied, do not modify
 * @param labels 0 background, 1 liver, 2 tumor; not copied, do not modify
 * @param liverVoxels indices of voxels labelled liver or tumor
 * @param tumorVoxels indices of voxels labelled tumor (may be empty)
 */
public record TrainingCase(
    long seed,
    int sizeX,
    int sizeY,
    int sizeZ,
    float[] hu,
    byte[] labels,
    int[] liverVoxels,
    int[] tumorVoxels) {

  /**
   * Generates a phantom case and indexes it.
   *
   * @param parameters the phantom's grid
   * @param seed the phantom seed
   * @return the case
   */
  public static TrainingCase generate(AbdominalPhantom.Parameters parameters, long seed) {
    AbdominalPhantom.Study study = AbdominalPhantom.generate(parameters, seed);
    Volume ct = study.ct();
    Geometry g = ct.geometry();
    int n = (int) g.voxelCount();
    float[] hu = new float[n];
    for (int i = 0; i < n; i++) {
      hu[i] = ct.valueAt(i);
    }
    byte[] labels = study.labels().values().clone();
    int liverCount = 0;
    int tumorCount = 0;
    for (byte b : labels) {
      liverCount += b >= LiverTumorLabels.LIVER ? 1 : 0;
      tumorCount += b == LiverTumorLabels.TUMOR ? 1 : 0;
    }
    int[] liver = new int[liverCount];
    int[] tumor = new int[tumorCount];
    int li = 0;
    int ti = 0;
    for (int i = 0; i < n; i++) {
      if (labels[i] >= LiverTumorLabels.LIVER) {
        liver[li++] = i;
      }
      if (labels[i] == LiverTumorLabels.TUMOR) {
        tumor[ti++] = i;
      }
    }
    return new TrainingCase(seed, g.sizeX(), g.sizeY(), g.sizeZ(), hu, labels, liver, tumor);
  }

  /**
   * The centroid of the liver (liver and tumor voxels), or the grid centre if there is none.
   *
   * @return voxel coordinates {x, y, z}, rounded
   */
  public int[] liverCentroid() {
    if (liverVoxels.length == 0) {
      return new int[] {sizeX / 2, sizeY / 2, sizeZ / 2};
    }
    double sx = 0;
    double sy = 0;
    double sz = 0;
    for (int i : liverVoxels) {
      sx += i % sizeX;
      sy += (i / sizeX) % sizeY;
      sz += i / (sizeX * sizeY);
    }
    int n = liverVoxels.length;
    return new int[] {(int) Math.round(sx / n), (int) Math.round(sy / n), (int) Math.round(sz / n)};
  }
}
