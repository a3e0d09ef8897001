package org.voxelwise.imaging.simulate;

/**
 * An in-place radix-2 complex FFT of one power-of-two length, with the twiddle factors and the
 * bit-reversal permutation computed once. Forward: X_k = Σ x_n e^{−2πi kn/N}; inverse: the same
 * with e^{+2πi kn/N} and a factor 1/N. Thread-safe (instances hold only read-only tables).
 */
final class Fft {
  private final int n;
  private final double[] cos;
  private final double[] sin;
  private final int[] reversed;

  /**
   * @throws IllegalArgumentException when {@code n} is not a power of two ≥ 2
   */
  Fft(int n) {
    if (n < 2 || Integer.bitCount(n) != 1) {
      throw new IllegalArgumentException("FFT length must be a power of two ≥ 2: " + n);
    }
    this.n = n;
    cos = new double[n / 2];
    sin = new double[n / 2];
    for (int k = 0; k < n / 2; k++) {
      cos[k] = Math.cos(2 * Math.PI * k / n);
      sin[k] = Math.sin(2 * Math.PI * k / n);
    }
    reversed = new int[n];
    int bits = Integer.numberOfTrailingZeros(n);
    for (int i = 0; i < n; i++) {
      reversed[i] = Integer.reverse(i) >>> (32 - bits);
    }
  }

  int length() {
    return n;
  }

  /** Transforms ({@code re}, {@code im}) in place; both of length {@link #length()}. */
  void transform(double[] re, double[] im, boolean inverse) {
    for (int i = 0; i < n; i++) {
      int r = reversed[i];
      if (r > i) {
        double t = re[i];
        re[i] = re[r];
        re[r] = t;
        t = im[i];
        im[i] = im[r];
        im[r] = t;
      }
    }
    double sign = inverse ? 1 : -1;
    for (int size = 2; size <= n; size <<= 1) {
      int half = size >> 1;
      int step = n / size;
      for (int start = 0; start < n; start += size) {
        for (int k = 0; k < half; k++) {
          double wr = cos[k * step];
          double wi = sign * sin[k * step];
          int a = start + k;
          int b = a + half;
          double tr = re[b] * wr - im[b] * wi;
          double ti = re[b] * wi + im[b] * wr;
          re[b] = re[a] - tr;
          im[b] = im[a] - ti;
          re[a] += tr;
          im[a] += ti;
        }
      }
    }
    if (inverse) {
      double scale = 1.0 / n;
      for (int i = 0; i < n; i++) {
        re[i] *= scale;
        im[i] *= scale;
      }
    }
  }
}
