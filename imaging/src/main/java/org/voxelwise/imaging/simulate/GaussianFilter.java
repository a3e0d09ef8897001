package org.voxelwise.imaging.simulate;

import java.util.stream.IntStream;

/**
 * Separable Gaussian smoothing of a 3D float array (x fastest), in place, with the edge voxels
 * repeated beyond the borders. Kernels are sampled Gaussians truncated at 3 sigma and normalised to
 * sum 1; a sigma of 0 leaves that axis alone. Work is split over slices and rows in parallel; the
 * result does not depend on the number of threads.
 */
final class GaussianFilter {
  private GaussianFilter() {}

  /** The normalised kernel for {@code sigma} voxels (a single 1 for sigma ≤ 0). */
  static double[] kernel(double sigma) {
    if (!(sigma > 0)) {
      return new double[] {1};
    }
    int radius = Math.max(1, (int) Math.ceil(3 * sigma));
    double[] k = new double[2 * radius + 1];
    double sum = 0;
    for (int i = -radius; i <= radius; i++) {
      k[i + radius] = Math.exp(-0.5 * i * i / (sigma * sigma));
      sum += k[i + radius];
    }
    for (int i = 0; i < k.length; i++) {
      k[i] /= sum;
    }
    return k;
  }

  /**
   * The sum of squares of {@link #kernel}: the factor by which the filter scales white-noise
   * variance along one axis.
   */
  static double varianceGain(double sigma) {
    double g = 0;
    for (double v : kernel(sigma)) {
      g += v * v;
    }
    return g;
  }

  /** Smooths {@code data} (nx·ny·nz values) with the given sigmas in voxels along x, y and z. */
  static void smooth(float[] data, int nx, int ny, int nz, double sx, double sy, double sz) {
    double[] kx = kernel(sx);
    double[] ky = kernel(sy);
    double[] kz = kernel(sz);
    IntStream.range(0, nz)
        .parallel()
        .forEach(
            k -> {
              int slice = k * nx * ny;
              float[] line = new float[Math.max(nx, ny)];
              if (kx.length > 1) {
                for (int j = 0; j < ny; j++) {
                  filterLine(data, slice + j * nx, 1, nx, kx, line);
                }
              }
              if (ky.length > 1) {
                for (int i = 0; i < nx; i++) {
                  filterLine(data, slice + i, nx, ny, ky, line);
                }
              }
            });
    if (kz.length > 1) {
      IntStream.range(0, ny)
          .parallel()
          .forEach(
              j -> {
                float[] line = new float[nz];
                for (int i = 0; i < nx; i++) {
                  filterLine(data, i + j * nx, nx * ny, nz, kz, line);
                }
              });
    }
  }

  private static void filterLine(
      float[] data, int start, int stride, int n, double[] kernel, float[] line) {
    for (int i = 0; i < n; i++) {
      line[i] = data[start + i * stride];
    }
    int radius = kernel.length / 2;
    for (int i = 0; i < n; i++) {
      double sum = 0;
      for (int t = -radius; t <= radius; t++) {
        int s = Math.max(0, Math.min(n - 1, i + t));
        sum += kernel[t + radius] * line[s];
      }
      data[start + i * stride] = (float) sum;
    }
  }
}
