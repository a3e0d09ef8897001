package org.voxelwise.imaging.nifti;

import static org.voxelwise.imaging.nifti.NiftiFormat.DATA_OFFSET;
import static org.voxelwise.imaging.nifti.NiftiFormat.DT_FLOAT32;
import static org.voxelwise.imaging.nifti.NiftiFormat.DT_INT16;
import static org.voxelwise.imaging.nifti.NiftiFormat.DT_UINT8;
import static org.voxelwise.imaging.nifti.NiftiFormat.HEADER_SIZE;
import static org.voxelwise.imaging.nifti.NiftiFormat.OFF_BITPIX;
import static org.voxelwise.imaging.nifti.NiftiFormat.OFF_DATATYPE;
import static org.voxelwise.imaging.nifti.NiftiFormat.OFF_DESCRIP;
import static org.voxelwise.imaging.nifti.NiftiFormat.OFF_DIM;
import static org.voxelwise.imaging.nifti.NiftiFormat.OFF_MAGIC;
import static org.voxelwise.imaging.nifti.NiftiFormat.OFF_PIXDIM;
import static org.voxelwise.imaging.nifti.NiftiFormat.OFF_QFORM_CODE;
import static org.voxelwise.imaging.nifti.NiftiFormat.OFF_QOFFSET_X;
import static org.voxelwise.imaging.nifti.NiftiFormat.OFF_QUATERN_B;
import static org.voxelwise.imaging.nifti.NiftiFormat.OFF_REGULAR;
import static org.voxelwise.imaging.nifti.NiftiFormat.OFF_SCL_INTER;
import static org.voxelwise.imaging.nifti.NiftiFormat.OFF_SCL_SLOPE;
import static org.voxelwise.imaging.nifti.NiftiFormat.OFF_SFORM_CODE;
import static org.voxelwise.imaging.nifti.NiftiFormat.OFF_SIZEOF_HDR;
import static org.voxelwise.imaging.nifti.NiftiFormat.OFF_SROW_X;
import static org.voxelwise.imaging.nifti.NiftiFormat.OFF_VOX_OFFSET;
import static org.voxelwise.imaging.nifti.NiftiFormat.OFF_XYZT_UNITS;
import static org.voxelwise.imaging.nifti.NiftiFormat.UNITS_MM;
import static org.voxelwise.imaging.nifti.NiftiFormat.XFORM_SCANNER;
import static org.voxelwise.imaging.nifti.NiftiFormat.flipXY;
import static org.voxelwise.imaging.nifti.NiftiFormat.isGzipName;
import static org.voxelwise.imaging.nifti.NiftiFormat.isNiftiName;
import static org.voxelwise.imaging.nifti.NiftiFormat.toQuaternion;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.GZIPOutputStream;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.LabelVolume;
import org.voxelwise.imaging.volume.Volume;

/**
 * Writes a {@link Volume} as a single-file NIfTI-1 image: {@code .nii}, or gzip-compressed {@code
 * .nii.gz}, chosen by the file name.
 *
 * <p>The file is little endian, with a 348-byte header, magic "n+1" and the voxels from byte 352
 * (no extensions): int16 (datatype 4) for a volume of shorts, float32 (datatype 16) for a volume of
 * floats, uint8 (datatype 2) for a {@link LabelVolume} (its label values as they are; the label
 * table is not written), x fastest, no scaling (scl_slope 1, scl_inter 0). pixdim holds the spacing
 * in mm (xyzt_units mm). Both transforms are written, with code 1 (scanner anatomical), in NIfTI's
 * RAS coordinates, i.e. the volume's LPS coordinates with x and y negated:
 *
 * <ul>
 *   <li>the sform (srow_x/y/z) is {@code diag(−1,−1,1,1)·}{@link Geometry#voxelToPatientMatrix()},
 *       exact (to float precision) for any geometry, a gantry-tilted one included;
 *   <li>the qform (quaternion, qoffset, qfac in pixdim[0]) is exact when the axes are orthogonal.
 *       When they are not (gantry tilt) a quaternion cannot express them: it then holds the
 *       rotation closest to the axes, and readers that use the sform, as {@link NiftiReader} and
 *       nibabel do, still place every voxel exactly.
 * </ul>
 *
 * <p>The output is written to a temporary file in the same folder and then moved into place, so
 * that a reader never sees a half-written file and a failed write leaves any earlier file as it
 * was.
 */
public final class NiftiWriter {
  private static final int CHUNK_BYTES = 1 << 20;
  private static final int GZIP_BUFFER_BYTES = 1 << 16;
  private static final int GZIP_LEVEL = 1;

  private NiftiWriter() {}

  /**
   * Writes {@code volume} to {@code file}, replacing it if it exists; gzip-compressed when the name
   * ends in {@code .nii.gz}.
   *
   * @throws IllegalArgumentException when the name ends neither in {@code .nii} nor {@code
   *     .nii.gz}, or a size of the volume exceeds NIfTI-1's 32767
   * @throws IOException when the folder does not exist or the file cannot be written
   */
  public static void write(Volume volume, Path file) throws IOException {
    boolean shorts = volume.isShort();
    byte[] header =
        header(volume.geometry(), shorts ? DT_INT16 : DT_FLOAT32, shorts ? (short) 16 : 32);
    write(file, header, out -> writeVoxels(volume, out));
  }

  /**
   * Writes the label values of {@code labels} to {@code file} as uint8 voxels (0 to 255, read back
   * exactly by {@link NiftiReader} and nibabel), replacing the file if it exists; gzip-compressed
   * when the name ends in {@code .nii.gz}.
   *
   * @throws IllegalArgumentException when the name ends neither in {@code .nii} nor {@code
   *     .nii.gz}, or a size exceeds NIfTI-1's 32767
   * @throws IOException when the folder does not exist or the file cannot be written
   */
  public static void write(LabelVolume labels, Path file) throws IOException {
    byte[] header = header(labels.geometry(), DT_UINT8, (short) 8);
    byte[] values = labels.values();
    write(
        file,
        header,
        out -> {
          for (int start = 0; start < values.length; start += CHUNK_BYTES) {
            out.write(values, start, Math.min(CHUNK_BYTES, values.length - start));
          }
        });
  }

  /** Writes the voxels after the header. */
  private interface VoxelWriter {
    void write(OutputStream out) throws IOException;
  }

  private static void write(Path file, byte[] header, VoxelWriter voxels) throws IOException {
    if (!isNiftiName(file)) {
      throw new IllegalArgumentException(file + ": a NIfTI file name must end in .nii or .nii.gz");
    }
    Path target = file.toAbsolutePath();
    // Not Files.createTempFile: its files are private (0600), and the output should get the
    // permissions that the user's umask gives a new file.
    String suffix = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
    Path tmp = target.resolveSibling("." + target.getFileName() + "." + suffix + ".tmp");
    try {
      try (OutputStream out = open(tmp, isGzipName(target))) {
        out.write(header);
        voxels.write(out);
      }
      moveIntoPlace(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static OutputStream open(Path tmp, boolean gzip) throws IOException {
    OutputStream raw = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW);
    if (!gzip) {
      return raw;
    }
    return new FastGzipOutputStream(new BufferedOutputStream(raw, GZIP_BUFFER_BYTES));
  }

  /**
   * A gzip stream at a fast compression level (the JDK's default level is several times slower).
   */
  private static final class FastGzipOutputStream extends GZIPOutputStream {
    FastGzipOutputStream(OutputStream out) throws IOException {
      super(out, GZIP_BUFFER_BYTES);
      def.setLevel(GZIP_LEVEL);
    }
  }

  private static void moveIntoPlace(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The 348-byte header and the 4-byte empty extension flag. */
  static byte[] header(Geometry g, short datatype, short bitpix) {
    ByteBuffer h = ByteBuffer.allocate(DATA_OFFSET).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(OFF_SIZEOF_HDR, HEADER_SIZE);
    h.put(OFF_REGULAR, (byte) 'r');
    if (g.sizeX() > Short.MAX_VALUE || g.sizeY() > Short.MAX_VALUE || g.sizeZ() > Short.MAX_VALUE) {
      throw new IllegalArgumentException(
          "NIfTI-1 sizes are at most 32767 per axis, the volume is " + g);
    }
    short[] dim = {3, (short) g.sizeX(), (short) g.sizeY(), (short) g.sizeZ(), 1, 1, 1, 1};
    for (int i = 0; i < 8; i++) {
      h.putShort(OFF_DIM + 2 * i, dim[i]);
    }
    h.putShort(OFF_DATATYPE, datatype);
    h.putShort(OFF_BITPIX, bitpix);

    double[][] sform = flipXY(g.voxelToPatientMatrix());
    double[][] dir = new double[3][3];
    double[] spacing = g.spacingMm();
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        dir[r][c] = sform[r][c] / spacing[c];
      }
    }
    double[] q = toQuaternion(dir);
    float[] pixdim = {
      (float) q[3], (float) spacing[0], (float) spacing[1], (float) spacing[2], 1, 1, 1, 1
    };
    for (int i = 0; i < 8; i++) {
      h.putFloat(OFF_PIXDIM + 4 * i, pixdim[i]);
    }
    h.putFloat(OFF_VOX_OFFSET, DATA_OFFSET);
    h.putFloat(OFF_SCL_SLOPE, 1);
    h.putFloat(OFF_SCL_INTER, 0);
    h.put(OFF_XYZT_UNITS, UNITS_MM);
    byte[] descrip = "Voxelwise".getBytes(StandardCharsets.US_ASCII);
    h.put(OFF_DESCRIP, descrip, 0, descrip.length);
    h.putShort(OFF_QFORM_CODE, XFORM_SCANNER);
    h.putShort(OFF_SFORM_CODE, XFORM_SCANNER);
    for (int i = 0; i < 3; i++) {
      h.putFloat(OFF_QUATERN_B + 4 * i, (float) q[i]);
      h.putFloat(OFF_QOFFSET_X + 4 * i, (float) sform[i][3]);
      for (int c = 0; c < 4; c++) {
        h.putFloat(OFF_SROW_X + 16 * i + 4 * c, (float) sform[i][c]);
      }
    }
    h.put(OFF_MAGIC, new byte[] {'n', '+', '1', 0});
    return h.array();
  }

  private static void writeVoxels(Volume volume, OutputStream out) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    int n = (int) volume.geometry().voxelCount();
    if (volume.isShort()) {
      short[] values = volume.shortValues();
      int perChunk = CHUNK_BYTES / 2;
      for (int start = 0; start < n; start += perChunk) {
        int count = Math.min(perChunk, n - start);
        chunk.asShortBuffer().put(values, start, count);
        out.write(chunk.array(), 0, 2 * count);
      }
    } else {
      int perChunk = CHUNK_BYTES / 4;
      float[] part = new float[perChunk];
      for (int start = 0; start < n; start += perChunk) {
        int count = Math.min(perChunk, n - start);
        for (int i = 0; i < count; i++) {
          part[i] = volume.valueAt(start + i);
        }
        chunk.asFloatBuffer().put(part, 0, count);
        out.write(chunk.array(), 0, 4 * count);
      }
    }
  }
}
