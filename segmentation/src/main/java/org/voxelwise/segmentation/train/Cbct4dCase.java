package org.voxelwise.segmentation.train;

import java.util.List;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.simulate.Cbct4dSimulator;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;
import org.voxelwise.imaging.volume.ops.ConnectedComponents;
import org.voxelwise.imaging.volume.ops.ConnectedComponents.Connectivity;
import org.voxelwise.imaging.volume.ops.Morphology;

/**
 * One simulated 4D CBCT case as flat HU arrays (index {@code x + sizeX·(y + sizeY·z)}): each
 * phase's FBP image, the prior, each phase's ground truth and the body mask, for training crops and
 * for scoring.
 *
 * @param seed the simulator seed
 * @param grid the voxel grid of every array
 * @param fbp per-phase FBP images, HU; not copied, do not modify
 * @param prior the reconstruction from all projections, HU; not copied, do not modify
 * @param truth per-phase ground truth, HU; not copied, do not modify
 * @param body the body mask ({@link #bodyMask}); not copied, do not modify
 */
public record Cbct4dCase(
    long seed, Geometry grid, float[][] fbp, float[] prior, float[][] truth, boolean[] body) {

  /** The body is where the phases' mean ground truth is above this, in HU (before filling). */
  public static final float BODY_HU = -500;

  /**
   * Simulates slices {@code firstSlice} … {@code firstSlice + slices − 1} of a case ({@link
   * Cbct4dSimulator#simulate(Cbct4dSimulator.Parameters, int, int, ProgressListener)}).
   *
   * @param parameters the whole case (grid, projections, phases, seed)
   * @param firstSlice the first slice of the grid to simulate
   * @param slices how many slices
   * @param progress progress and cancellation
   * @return the case
   */
  public static Cbct4dCase simulate(
      Cbct4dSimulator.Parameters parameters,
      int firstSlice,
      int slices,
      ProgressListener progress) {
    Cbct4dSimulator.Result r = Cbct4dSimulator.simulate(parameters, firstSlice, slices, progress);
    float[][] truth = floats(r.truth().phases());
    Geometry grid = r.prior().geometry();
    return new Cbct4dCase(
        parameters.seed(),
        grid,
        floats(r.phases().phases()),
        r.prior().toFloatArray(),
        truth,
        bodyMask(truth, grid));
  }

  private static float[][] floats(List<Volume> volumes) {
    float[][] out = new float[volumes.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = volumes.get(i).toFloatArray();
    }
    return out;
  }

  /**
   * The body: voxels whose mean over the phases is above {@value #BODY_HU} HU, the largest
   * 6-connected region of them, with the holes of each slice (the lungs) filled.
   *
   * @param phases one HU array per phase, on {@code grid}
   * @param grid their grid
   * @return the mask
   */
  public static boolean[] bodyMask(float[][] phases, Geometry grid) {
    int n = phases[0].length;
    boolean[] mask = new boolean[n];
    for (int i = 0; i < n; i++) {
      float sum = 0;
      for (float[] p : phases) {
        sum += p[i];
      }
      mask[i] = sum / phases.length > BODY_HU;
    }
    int nx = grid.sizeX();
    int ny = grid.sizeY();
    int nz = grid.sizeZ();
    mask = ConnectedComponents.largest(mask, nx, ny, nz, Connectivity.SIX);
    return Morphology.fillHoles2d(mask, nx, ny, nz);
  }

  /** The number of phases. */
  public int phases() {
    return fbp.length;
  }
}
