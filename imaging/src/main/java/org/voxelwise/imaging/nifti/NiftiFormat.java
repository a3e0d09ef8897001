package org.voxelwise.imaging.nifti;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The NIfTI-1 single-file layout ({@code .nii}, magic "n+1") shared by {@link NiftiWriter} and
 * {@link NiftiReader}: byte offsets of the header fields, datatype codes, and the conversions
 * between a 3×3 matrix and the qform quaternion (following {@code nifti1_io.c}).
 */
final class NiftiFormat {
  static final int HEADER_SIZE = 348;
  static final int NIFTI2_HEADER_SIZE = 540;

  /** Header plus the 4-byte extension flag: where our data starts. */
  static final int DATA_OFFSET = 352;

  static final int OFF_SIZEOF_HDR = 0;
  static final int OFF_REGULAR = 38;
  static final int OFF_DIM = 40;
  static final int OFF_DATATYPE = 70;
  static final int OFF_BITPIX = 72;
  static final int OFF_PIXDIM = 76;
  static final int OFF_VOX_OFFSET = 108;
  static final int OFF_SCL_SLOPE = 112;
  static final int OFF_SCL_INTER = 116;
  static final int OFF_XYZT_UNITS = 123;
  static final int OFF_DESCRIP = 148;
  static final int OFF_QFORM_CODE = 252;
  static final int OFF_SFORM_CODE = 254;
  static final int OFF_QUATERN_B = 256;
  static final int OFF_QOFFSET_X = 268;
  static final int OFF_SROW_X = 280;
  static final int OFF_MAGIC = 344;

  static final short DT_UINT8 = 2;
  static final short DT_INT16 = 4;
  static final short DT_INT32 = 8;
  static final short DT_FLOAT32 = 16;
  static final short DT_FLOAT64 = 64;
  static final short DT_UINT16 = 512;

  static final byte UNITS_MM = 2;
  static final short XFORM_SCANNER = 1;

  private NiftiFormat() {}

  /** Whether the file name says gzip ({@code .nii.gz}); any case. */
  static boolean isGzipName(Path file) {
    return name(file).endsWith(".nii.gz");
  }

  /** Whether the file name ends in {@code .nii} or {@code .nii.gz}; any case. */
  static boolean isNiftiName(Path file) {
    String n = name(file);
    return n.endsWith(".nii") || n.endsWith(".nii.gz");
  }

  private static String name(Path file) {
    Path f = file.getFileName();
    return f == null ? "" : f.toString().toLowerCase(Locale.ROOT);
  }

  /** Bytes per voxel of a supported datatype, or 0 for an unsupported one. */
  static int bytesPerVoxel(int datatype) {
    return switch (datatype) {
      case DT_UINT8 -> 1;
      case DT_INT16, DT_UINT16 -> 2;
      case DT_INT32, DT_FLOAT32 -> 4;
      case DT_FLOAT64 -> 8;
      default -> 0;
    };
  }

  /**
   * The LPS↔RAS change of the first two rows, {@code diag(-1,-1,1,1)·m}, as a new matrix (it is its
   * own inverse). Rows beyond the third are copied.
   */
  static double[][] flipXY(double[][] m) {
    double[][] r = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      r[i] = m[i].clone();
      if (i < 2) {
        for (int j = 0; j < r[i].length; j++) {
          r[i][j] = -r[i][j];
        }
      }
    }
    return r;
  }

  /**
   * The quaternion (b, c, d) and qfac of the rotation closest to the direction matrix {@code dir}
   * (3×3, columns are the unit axes). When the columns are not orthogonal the matrix is first
   * replaced by its orthogonal polar factor, the orthogonal matrix nearest to it. A left-handed
   * matrix gives qfac −1 and the rotation of the matrix with its third column negated.
   *
   * @return {b, c, d, qfac}
   */
  static double[] toQuaternion(double[][] dir) {
    double[][] r = orthogonalPolarFactor(dir);
    double qfac = 1;
    if (det(r) < 0) {
      qfac = -1;
      for (int i = 0; i < 3; i++) {
        r[i][2] = -r[i][2];
      }
    }
    double a = r[0][0] + r[1][1] + r[2][2] + 1;
    double b;
    double c;
    double d;
    if (a > 0.5) {
      a = 0.5 * Math.sqrt(a);
      b = 0.25 * (r[2][1] - r[1][2]) / a;
      c = 0.25 * (r[0][2] - r[2][0]) / a;
      d = 0.25 * (r[1][0] - r[0][1]) / a;
    } else {
      double xd = 1 + r[0][0] - (r[1][1] + r[2][2]);
      double yd = 1 + r[1][1] - (r[0][0] + r[2][2]);
      double zd = 1 + r[2][2] - (r[0][0] + r[1][1]);
      if (xd > 1) {
        b = 0.5 * Math.sqrt(xd);
        c = 0.25 * (r[0][1] + r[1][0]) / b;
        d = 0.25 * (r[0][2] + r[2][0]) / b;
        a = 0.25 * (r[2][1] - r[1][2]) / b;
      } else if (yd > 1) {
        c = 0.5 * Math.sqrt(yd);
        b = 0.25 * (r[0][1] + r[1][0]) / c;
        d = 0.25 * (r[1][2] + r[2][1]) / c;
        a = 0.25 * (r[0][2] - r[2][0]) / c;
      } else {
        d = 0.5 * Math.sqrt(zd);
        b = 0.25 * (r[0][2] + r[2][0]) / d;
        c = 0.25 * (r[1][2] + r[2][1]) / d;
        a = 0.25 * (r[1][0] - r[0][1]) / d;
      }
      if (a < 0) {
        b = -b;
        c = -c;
        d = -d;
      }
    }
    return new double[] {b, c, d, qfac};
  }

  /**
   * The rotation matrix of the quaternion (a, b, c, d) with a = √(1 − b² − c² − d²), its third
   * column multiplied by qfac (−1 or 1). A (b, c, d) longer than 1 is normalised, with a = 0.
   */
  static double[][] fromQuaternion(double b, double c, double d, double qfac) {
    double a = 1 - (b * b + c * c + d * d);
    if (a < 1e-7) {
      double n = 1 / Math.sqrt(b * b + c * c + d * d);
      b *= n;
      c *= n;
      d *= n;
      a = 0;
    } else {
      a = Math.sqrt(a);
    }
    return new double[][] {
      {a * a + b * b - c * c - d * d, 2 * (b * c - a * d), qfac * 2 * (b * d + a * c)},
      {2 * (b * c + a * d), a * a + c * c - b * b - d * d, qfac * 2 * (c * d - a * b)},
      {2 * (b * d - a * c), 2 * (c * d + a * b), qfac * (a * a + d * d - c * c - b * b)}
    };
  }

  /**
   * The orthogonal matrix nearest to {@code m} (Frobenius norm), by Newton's iteration X ← (X +
   * X⁻ᵀ)/2, which converges quadratically for any non-singular matrix.
   */
  static double[][] orthogonalPolarFactor(double[][] m) {
    double[][] x = {m[0].clone(), m[1].clone(), m[2].clone()};
    for (int iter = 0; iter < 100; iter++) {
      double[][] invT = inverseTranspose(x);
      double change = 0;
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          double next = 0.5 * (x[i][j] + invT[i][j]);
          change = Math.max(change, Math.abs(next - x[i][j]));
          x[i][j] = next;
        }
      }
      if (change < 1e-15) {
        break;
      }
    }
    return x;
  }

  static double det(double[][] m) {
    return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
        - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  }

  private static double[][] inverseTranspose(double[][] m) {
    double det = det(m);
    // The cofactor matrix divided by the determinant is the inverse transposed.
    double[][] r = new double[3][3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        int i1 = (i + 1) % 3;
        int i2 = (i + 2) % 3;
        int j1 = (j + 1) % 3;
        int j2 = (j + 2) % 3;
        r[i][j] = (m[i1][j1] * m[i2][j2] - m[i1][j2] * m[i2][j1]) / det;
      }
    }
    return r;
  }
}
