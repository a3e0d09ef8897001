package org.voxelwise.segmentation.metrics;

/**
 * Fidelity of an image to a reference of the same size (flat arrays, x fastest): RMSE, PSNR and a
 * per-slice SSIM.
 */
public final class ImageMetrics {
  /** Side of the square SSIM window, in pixels (as scikit-image's default). */
  public static final int SSIM_WINDOW = 7;

  private ImageMetrics() {}

  /**
   * Root-mean-square error.
   *
   * @throws IllegalArgumentException if the arrays differ in length or are empty
   */
  public static double rmse(float[] image, float[] reference) {
    check(image, reference);
    double sum = 0;
    for (int i = 0; i < image.length; i++) {
      double d = image[i] - reference[i];
      sum += d * d;
    }
    return Math.sqrt(sum / image.length);
  }

  /**
   * Peak signal-to-noise ratio in dB, 20·log10(dataRange / RMSE).
   *
   * @param dataRange the span of possible values (e.g. the reference's max − min), &gt; 0
   * @return the PSNR; {@link Double#POSITIVE_INFINITY} for identical images
   * @throws IllegalArgumentException if the arrays differ in length, are empty, or the range is not
   *     positive
   */
  public static double psnr(float[] image, float[] reference, double dataRange) {
    if (!(dataRange > 0)) {
      throw new IllegalArgumentException("data range must be > 0: " + dataRange);
    }
    return 20 * Math.log10(dataRange / rmse(image, reference));
  }

  /**
   * Structural similarity (Wang et al. 2004) with a uniform {@value #SSIM_WINDOW}×{@value
   * #SSIM_WINDOW} window in each axial slice, K1 = 0.01, K2 = 0.03 and sample covariances, averaged
   * over every window position that fits inside a slice (scikit-image's {@code
   * structural_similarity} defaults applied slice by slice).
   *
   * @param dataRange the span of possible values, &gt; 0
   * @return the mean SSIM, 1 for identical images
   * @throws IllegalArgumentException if the arrays do not fit the sizes, a slice is smaller than
   *     the window, or the range is not positive
   */
  public static double ssim(
      float[] image, float[] reference, int sizeX, int sizeY, int sizeZ, double dataRange) {
    check(image, reference);
    if ((long) sizeX * sizeY * sizeZ != image.length) {
      throw new IllegalArgumentException("arrays do not fit " + sizeX + "×" + sizeY + "×" + sizeZ);
    }
    if (sizeX < SSIM_WINDOW || sizeY < SSIM_WINDOW) {
      throw new IllegalArgumentException("slices must be at least " + SSIM_WINDOW + " pixels");
    }
    if (!(dataRange > 0)) {
      throw new IllegalArgumentException("data range must be > 0: " + dataRange);
    }
    double c1 = Math.pow(0.01 * dataRange, 2);
    double c2 = Math.pow(0.03 * dataRange, 2);
    int w = SSIM_WINDOW;
    double np = w * w;
    double cov = np / (np - 1);
    double total = 0;
    long windows = 0;
    for (int z = 0; z < sizeZ; z++) {
      int base = sizeX * sizeY * z;
      for (int y0 = 0; y0 + w <= sizeY; y0++) {
        for (int x0 = 0; x0 + w <= sizeX; x0++) {
          double sa = 0;
          double sb = 0;
          double saa = 0;
          double sbb = 0;
          double sab = 0;
          for (int y = y0; y < y0 + w; y++) {
            int row = base + sizeX * y;
            for (int x = x0; x < x0 + w; x++) {
              double a = image[row + x];
              double b = reference[row + x];
              sa += a;
              sb += b;
              saa += a * a;
              sbb += b * b;
              sab += a * b;
            }
          }
          double ma = sa / np;
          double mb = sb / np;
          double va = cov * (saa / np - ma * ma);
          double vb = cov * (sbb / np - mb * mb);
          double vab = cov * (sab / np - ma * mb);
          total +=
              ((2 * ma * mb + c1) * (2 * vab + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
          windows++;
        }
      }
    }
    return total / windows;
  }

  private static void check(float[] image, float[] reference) {
    if (image.length != reference.length || image.length == 0) {
      throw new IllegalArgumentException(
          "images must be non-empty and of one size: " + image.length + " vs " + reference.length);
    }
  }
}
