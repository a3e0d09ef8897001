package org.voxelwise.segmentation.train;

import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.segmentation.metrics.ImageMetrics;

/**
 * How close a 4D image is to the ground truth inside the body, the measure of streak reduction:
 * RMSE in HU and PSNR over the body's voxels, SSIM over the body's in-plane bounding box (every
 * slice that holds body), all phases pooled. The data range of PSNR and SSIM is {@value
 * #DATA_RANGE_HU} HU (−1000 … 1000 HU, as the training loss's).
 *
 * @param psnrDb 20·log10({@value #DATA_RANGE_HU} / RMSE)
 * @param ssim mean SSIM ({@link ImageMetrics#ssim}) over the bounding box
 * @param rmseHu root-mean-square error over the body voxels, HU
 */
public record StreakScores(double psnrDb, double ssim, double rmseHu) {

  /** Data range of PSNR and SSIM, in HU. */
  public static final double DATA_RANGE_HU = 2000;

  /**
   * Scores per-phase images against the per-phase truth.
   *
   * @param images one HU array per phase
   * @param truth one HU array per phase, same sizes
   * @param body the body mask, with at least one voxel
   * @param grid the arrays' grid
   * @return the scores
   * @throws IllegalArgumentException if the sizes differ or the body is empty
   */
  public static StreakScores of(float[][] images, float[][] truth, boolean[] body, Geometry grid) {
    if (images.length != truth.length || images.length == 0) {
      throw new IllegalArgumentException(images.length + " images for " + truth.length + " truths");
    }
    int nx = grid.sizeX();
    int ny = grid.sizeY();
    int nz = grid.sizeZ();
    int x0 = nx;
    int x1 = -1;
    int y0 = ny;
    int y1 = -1;
    int z0 = nz;
    int z1 = -1;
    int count = 0;
    for (int z = 0, i = 0; z < nz; z++) {
      for (int y = 0; y < ny; y++) {
        for (int x = 0; x < nx; x++, i++) {
          if (body[i]) {
            count++;
            x0 = Math.min(x0, x);
            x1 = Math.max(x1, x);
            y0 = Math.min(y0, y);
            y1 = Math.max(y1, y);
            z0 = Math.min(z0, z);
            z1 = Math.max(z1, z);
          }
        }
      }
    }
    if (count == 0) {
      throw new IllegalArgumentException("the body mask is empty");
    }
    // SSIM needs a window's width: widen the box where it is narrower
    int w = ImageMetrics.SSIM_WINDOW;
    int[] xs = widen(x0, x1, w, nx);
    int[] ys = widen(y0, y1, w, ny);
    int bw = xs[1] - xs[0] + 1;
    int bh = ys[1] - ys[0] + 1;
    int bd = z1 - z0 + 1;
    double squares = 0;
    double ssimSum = 0;
    for (int p = 0; p < images.length; p++) {
      float[] a = images[p];
      float[] b = truth[p];
      for (int i = 0; i < body.length; i++) {
        if (body[i]) {
          double d = a[i] - b[i];
          squares += d * d;
        }
      }
      float[] ca = new float[bw * bh * bd];
      float[] cb = new float[ca.length];
      for (int z = 0, j = 0; z < bd; z++) {
        for (int y = 0; y < bh; y++) {
          int row = xs[0] + nx * (ys[0] + y + ny * (z0 + z));
          System.arraycopy(a, row, ca, j, bw);
          System.arraycopy(b, row, cb, j, bw);
          j += bw;
        }
      }
      ssimSum += ImageMetrics.ssim(ca, cb, bw, bh, bd, DATA_RANGE_HU);
    }
    double rmse = Math.sqrt(squares / ((double) count * images.length));
    return new StreakScores(20 * Math.log10(DATA_RANGE_HU / rmse), ssimSum / images.length, rmse);
  }

  private static int[] widen(int lo, int hi, int min, int size) {
    while (hi - lo + 1 < min && (lo > 0 || hi < size - 1)) {
      if (lo > 0) {
        lo--;
      }
      if (hi - lo + 1 < min && hi < size - 1) {
        hi++;
      }
    }
    return new int[] {lo, hi};
  }
}
