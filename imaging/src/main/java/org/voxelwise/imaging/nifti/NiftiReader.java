package org.voxelwise.imaging.nifti;

import static org.voxelwise.imaging.nifti.NiftiFormat.DT_FLOAT32;
import static org.voxelwise.imaging.nifti.NiftiFormat.DT_FLOAT64;
import static org.voxelwise.imaging.nifti.NiftiFormat.DT_INT16;
import static org.voxelwise.imaging.nifti.NiftiFormat.DT_INT32;
import static org.voxelwise.imaging.nifti.NiftiFormat.DT_UINT16;
import static org.voxelwise.imaging.nifti.NiftiFormat.DT_UINT8;
import static org.voxelwise.imaging.nifti.NiftiFormat.HEADER_SIZE;
import static org.voxelwise.imaging.nifti.NiftiFormat.NIFTI2_HEADER_SIZE;
import static org.voxelwise.imaging.nifti.NiftiFormat.OFF_DATATYPE;
import static org.voxelwise.imaging.nifti.NiftiFormat.OFF_DIM;
import static org.voxelwise.imaging.nifti.NiftiFormat.OFF_MAGIC;
import static org.voxelwise.imaging.nifti.NiftiFormat.OFF_PIXDIM;
import static org.voxelwise.imaging.nifti.NiftiFormat.OFF_QFORM_CODE;
import static org.voxelwise.imaging.nifti.NiftiFormat.OFF_QOFFSET_X;
import static org.voxelwise.imaging.nifti.NiftiFormat.OFF_QUATERN_B;
import static org.voxelwise.imaging.nifti.NiftiFormat.OFF_SCL_INTER;
import static org.voxelwise.imaging.nifti.NiftiFormat.OFF_SCL_SLOPE;
import static org.voxelwise.imaging.nifti.NiftiFormat.OFF_SFORM_CODE;
import static org.voxelwise.imaging.nifti.NiftiFormat.OFF_SIZEOF_HDR;
import static org.voxelwise.imaging.nifti.NiftiFormat.OFF_SROW_X;
import static org.voxelwise.imaging.nifti.NiftiFormat.OFF_VOX_OFFSET;
import static org.voxelwise.imaging.nifti.NiftiFormat.bytesPerVoxel;
import static org.voxelwise.imaging.nifti.NiftiFormat.det;
import static org.voxelwise.imaging.nifti.NiftiFormat.flipXY;
import static org.voxelwise.imaging.nifti.NiftiFormat.fromQuaternion;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;

/**
 * Reads a single-file NIfTI-1 image ({@code .nii}, or gzip-compressed {@code .nii.gz}) into a
 * {@link Volume}.
 *
 * <p>What it reads: either byte order (told apart by sizeof_hdr); datatypes uint8, int16, uint16,
 * int32, float32 and float64; 3D images, and 4D (or more) ones whose extra dimensions are all 1.
 * Compression is recognised from the file's first bytes (the gzip signature), not from its name.
 *
 * <p>Values: scl_slope and scl_inter are applied when slope is a finite non-zero number and the
 * pair is not the identity (slope 1, inter 0). Integer data whose (scaled) values are all integers
 * in [−32768, 32767] gives a volume of shorts; other integer data, and all float data, give a
 * volume of floats (int32 beyond ±2²⁴ and float64 thus lose precision).
 *
 * <p>Geometry, as NIfTI prescribes: the sform when sform_code &gt; 0, else the qform (quaternion,
 * qoffset, pixdim and qfac) when qform_code &gt; 0, else pixdim alone (voxel (0,0,0) at the origin,
 * axes along RAS x, y, z). NIfTI's RAS coordinates are turned into the volume's LPS ones by
 * negating x and y. The modality is unknown (""), as NIfTI does not record it.
 *
 * <p>A file that cannot be read as such an image (missing, empty, not NIfTI-1, a NIfTI-2 or
 * two-file image, truncated, a corrupt gzip stream, an unsupported datatype or dimensionality,
 * sizes that are not positive or too large for memory, a degenerate transform) gives a {@link
 * BadInputException} naming the file and the problem; sizes are checked against the file before any
 * voxel memory is taken.
 */
public final class NiftiReader {
  private static final int CHUNK_BYTES = 1 << 20;
  private static final int STREAM_BUFFER_BYTES = 1 << 16;

  /** No deflate stream expands by more than about 1032:1; this bounds what a .gz can hold. */
  private static final long MAX_DEFLATE_RATIO = 1100;

  /** The largest Java array, a little under 2³¹ elements. */
  private static final long MAX_VOXELS = Integer.MAX_VALUE - 8;

  private NiftiReader() {}

  /**
   * Reads the image in {@code file}.
   *
   * @throws BadInputException when the file is missing or is not a NIfTI-1 image that can be read
   *     (the message names the file and the problem)
   * @throws IOException when reading fails for another reason (a disk error, no permission)
   */
  public static Volume read(Path file) throws BadInputException, IOException {
    long fileSize;
    try {
      fileSize = Files.size(file);
    } catch (NoSuchFileException e) {
      throw new BadInputException(file, "no such file");
    }
    if (Files.isDirectory(file)) {
      throw new BadInputException(file, "is a folder, not a NIfTI file");
    }
    if (fileSize == 0) {
      throw new BadInputException(file, "empty file, not a NIfTI image");
    }
    boolean gzip = isGzip(file);
    try (InputStream in = open(file, gzip)) {
      byte[] bytes = in.readNBytes(HEADER_SIZE);
      Header h = Header.parse(file, bytes);
      long dataBytes = h.voxelCount * bytesPerVoxel(h.datatype);
      long needed = h.voxOffset + dataBytes;
      if (!gzip && needed > fileSize) {
        throw new BadInputException(
            file,
            "truncated: the header calls for "
                + needed
                + " bytes ("
                + h.sizeText()
                + " voxels), the file has "
                + fileSize);
      }
      if (gzip && needed > fileSize * MAX_DEFLATE_RATIO) {
        throw new BadInputException(
            file,
            "truncated or corrupt: the header calls for "
                + needed
                + " bytes ("
                + h.sizeText()
                + " voxels), more than a "
                + fileSize
                + "-byte gzip file can hold");
      }
      long arrayBytes = h.voxelCount * (h.shortsDirect() ? 2 : 4);
      if (arrayBytes > Runtime.getRuntime().maxMemory()) {
        throw new BadInputException(
            file,
            "too large to load: "
                + h.sizeText()
                + " voxels need "
                + (arrayBytes >> 20)
                + " MB, the memory limit is "
                + (Runtime.getRuntime().maxMemory() >> 20)
                + " MB");
      }
      Geometry geometry = h.geometry(file);
      in.skipNBytes(h.voxOffset - HEADER_SIZE);
      Volume volume = new Decoder(h, in).decode(geometry);
      if (gzip) {
        // Reading on to the gzip trailer checks its CRC, which catches corrupt compressed data.
        in.transferTo(OutputStream.nullOutputStream());
      }
      return volume;
    } catch (EOFException e) {
      throw new BadInputException(file, "truncated: the file ends before its last voxel", e);
    } catch (ZipException e) {
      throw new BadInputException(file, "corrupt gzip data (" + e.getMessage() + ")", e);
    }
  }

  private static boolean isGzip(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] magic = in.readNBytes(2);
      return magic.length == 2 && (magic[0] & 0xFF) == 0x1f && (magic[1] & 0xFF) == 0x8b;
    }
  }

  private static InputStream open(Path file, boolean gzip) throws IOException {
    InputStream raw = Files.newInputStream(file);
    if (!gzip) {
      return raw;
    }
    try {
      return new GZIPInputStream(
          new BufferedInputStream(raw, STREAM_BUFFER_BYTES), STREAM_BUFFER_BYTES);
    } catch (IOException e) {
      raw.close();
      throw e;
    }
  }

  /** The header fields this reader uses, checked. */
  private static final class Header {
    ByteOrder order;
    int[] size = new int[3];
    long voxelCount;
    int datatype;
    long voxOffset;
    double slope;
    double inter;
    boolean scaled;
    float[] pixdim = new float[4];
    int qformCode;
    int sformCode;
    double[] quatern = new double[3];
    double[] qoffset = new double[3];
    double[][] srow = new double[3][4];

    static Header parse(Path file, byte[] bytes) throws BadInputException {
      if (bytes.length < 4) {
        throw new BadInputException(file, "not a NIfTI file: only " + bytes.length + " bytes");
      }
      ByteBuffer b = ByteBuffer.wrap(bytes);
      Header h = new Header();
      int le = b.order(ByteOrder.LITTLE_ENDIAN).getInt(OFF_SIZEOF_HDR);
      int be = b.order(ByteOrder.BIG_ENDIAN).getInt(OFF_SIZEOF_HDR);
      if (le == HEADER_SIZE) {
        h.order = ByteOrder.LITTLE_ENDIAN;
      } else if (be == HEADER_SIZE) {
        h.order = ByteOrder.BIG_ENDIAN;
      } else if (le == NIFTI2_HEADER_SIZE || be == NIFTI2_HEADER_SIZE) {
        throw new BadInputException(file, "a NIfTI-2 file; only NIfTI-1 is supported");
      } else {
        throw new BadInputException(file, "not a NIfTI-1 file (header size field is not 348)");
      }
      if (bytes.length < HEADER_SIZE) {
        throw new BadInputException(
            file, "truncated: " + bytes.length + " bytes, a NIfTI-1 header has " + HEADER_SIZE);
      }
      b.order(h.order);
      checkMagic(file, bytes);
      h.readDims(file, b);
      h.datatype = b.getShort(OFF_DATATYPE);
      if (bytesPerVoxel(h.datatype) == 0) {
        throw new BadInputException(
            file,
            "unsupported NIfTI datatype "
                + h.datatype
                + " (uint8, int16, uint16, int32, float32 and float64 are supported)");
      }
      float voxOffset = b.getFloat(OFF_VOX_OFFSET);
      if (!(voxOffset >= HEADER_SIZE && voxOffset <= Integer.MAX_VALUE)
          || voxOffset != Math.rint(voxOffset)) {
        throw new BadInputException(file, "bad vox_offset " + voxOffset + " (must be ≥ 348)");
      }
      h.voxOffset = (long) voxOffset;
      h.slope = b.getFloat(OFF_SCL_SLOPE);
      double inter = b.getFloat(OFF_SCL_INTER);
      h.inter = Double.isFinite(inter) ? inter : 0;
      h.scaled = Double.isFinite(h.slope) && h.slope != 0 && (h.slope != 1 || h.inter != 0);
      if (!h.scaled) {
        h.slope = 1;
        h.inter = 0;
      }
      for (int i = 0; i < 4; i++) {
        h.pixdim[i] = b.getFloat(OFF_PIXDIM + 4 * i);
      }
      h.qformCode = b.getShort(OFF_QFORM_CODE);
      h.sformCode = b.getShort(OFF_SFORM_CODE);
      for (int i = 0; i < 3; i++) {
        h.quatern[i] = b.getFloat(OFF_QUATERN_B + 4 * i);
        h.qoffset[i] = b.getFloat(OFF_QOFFSET_X + 4 * i);
        for (int c = 0; c < 4; c++) {
          h.srow[i][c] = b.getFloat(OFF_SROW_X + 16 * i + 4 * c);
        }
      }
      return h;
    }

    private static void checkMagic(Path file, byte[] bytes) throws BadInputException {
      String magic = new String(bytes, OFF_MAGIC, 3, StandardCharsets.ISO_8859_1);
      if (magic.equals("ni1")) {
        throw new BadInputException(
            file,
            "the header of a two-file (.hdr/.img) NIfTI image; only single-file .nii is read");
      }
      if (!magic.equals("n+1")) {
        throw new BadInputException(
            file, "not a NIfTI-1 file (no \"n+1\" magic; an ANALYZE 7.5 file?)");
      }
    }

    private void readDims(Path file, ByteBuffer b) throws BadInputException {
      int rank = b.getShort(OFF_DIM);
      if (rank < 3 || rank > 7) {
        throw new BadInputException(
            file, "has " + rank + " dimensions (dim[0]); only 3D volumes are read");
      }
      for (int i = 4; i <= rank; i++) {
        int extra = b.getShort(OFF_DIM + 2 * i);
        if (extra != 1) {
          throw new BadInputException(
              file,
              "a "
                  + rank
                  + "D image with "
                  + extra
                  + " elements in dimension "
                  + i
                  + "; only 3D volumes are read");
        }
      }
      voxelCount = 1;
      for (int i = 0; i < 3; i++) {
        size[i] = b.getShort(OFF_DIM + 2 * (i + 1));
        if (size[i] < 1) {
          throw new BadInputException(
              file, "bad size " + size[i] + " in dimension " + (i + 1) + " (must be ≥ 1)");
        }
        voxelCount *= size[i];
      }
      if (voxelCount > MAX_VOXELS) {
        throw new BadInputException(file, "too large: " + sizeText() + " voxels");
      }
    }

    String sizeText() {
      return size[0] + "×" + size[1] + "×" + size[2];
    }

    /** Whether values go straight into a short array, without scaling or range checks. */
    boolean shortsDirect() {
      return !scaled && (datatype == DT_INT16 || datatype == DT_UINT8);
    }

    boolean integerData() {
      return datatype != DT_FLOAT32 && datatype != DT_FLOAT64;
    }

    Geometry geometry(Path file) throws BadInputException {
      double[][] ras = new double[3][];
      if (sformCode > 0) {
        for (int r = 0; r < 3; r++) {
          ras[r] = srow[r].clone();
        }
      } else {
        double[][] rotation = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        if (qformCode > 0) {
          rotation = fromQuaternion(quatern[0], quatern[1], quatern[2], pixdim[0] < 0 ? -1 : 1);
        }
        for (int r = 0; r < 3; r++) {
          float spacing = pixdim[r + 1];
          if (!(spacing > 0 && Float.isFinite(spacing))) {
            throw new BadInputException(
                file, "bad voxel size pixdim[" + (r + 1) + "] = " + spacing + " (must be > 0)");
          }
          ras[r] = new double[] {0, 0, 0, qformCode > 0 ? qoffset[r] : 0};
        }
        for (int r = 0; r < 3; r++) {
          for (int c = 0; c < 3; c++) {
            ras[r][c] = rotation[r][c] * pixdim[c + 1];
          }
        }
      }
      double[][] lps = flipXY(ras);
      double[] spacing = new double[3];
      double[][] axes = new double[3][3];
      for (int c = 0; c < 3; c++) {
        spacing[c] =
            Math.sqrt(lps[0][c] * lps[0][c] + lps[1][c] * lps[1][c] + lps[2][c] * lps[2][c]);
        for (int r = 0; r < 3; r++) {
          axes[c][r] = lps[r][c] / spacing[c];
        }
      }
      String source = sformCode > 0 ? "sform" : qformCode > 0 ? "qform" : "pixdim";
      if (!(Math.abs(det(axes)) > 1e-6)) {
        throw new BadInputException(file, "degenerate " + source + " (axes are not independent)");
      }
      try {
        return new Geometry(
            size[0],
            size[1],
            size[2],
            spacing,
            new double[] {lps[0][3], lps[1][3], lps[2][3]},
            axes[0],
            axes[1],
            axes[2]);
      } catch (IllegalArgumentException e) {
        throw new BadInputException(file, "bad " + source + " (" + e.getMessage() + ")", e);
      }
    }
  }

  /** Turns the voxel bytes into a short or float array, chunk by chunk. */
  private static final class Decoder {
    private final Header h;
    private final InputStream in;
    private final int bytesPerVoxel;
    private final byte[] chunk = new byte[CHUNK_BYTES];

    Decoder(Header h, InputStream in) {
      this.h = h;
      this.in = in;
      this.bytesPerVoxel = bytesPerVoxel(h.datatype);
    }

    Volume decode(Geometry geometry) throws IOException {
      int n = (int) h.voxelCount;
      if (h.shortsDirect()) {
        short[] values = new short[n];
        int perChunk = CHUNK_BYTES / bytesPerVoxel;
        for (int start = 0; start < n; start += perChunk) {
          int count = Math.min(perChunk, n - start);
          ByteBuffer b = fill(count);
          if (h.datatype == DT_INT16) {
            b.asShortBuffer().get(values, start, count);
          } else {
            for (int i = 0; i < count; i++) {
              values[start + i] = (short) (chunk[i] & 0xFF);
            }
          }
        }
        return Volume.ofShorts(geometry, "", values);
      }
      float[] values = new float[n];
      int perChunk = CHUNK_BYTES / bytesPerVoxel;
      for (int start = 0; start < n; start += perChunk) {
        int count = Math.min(perChunk, n - start);
        toFloats(fill(count), count, values, start);
      }
      if (h.integerData()) {
        short[] shorts = shortsIfExact(values);
        if (shorts != null) {
          return Volume.ofShorts(geometry, "", shorts);
        }
      }
      return Volume.ofFloats(geometry, "", values);
    }

    /** Reads the bytes of {@code count} voxels into the chunk, as a buffer in the file's order. */
    private ByteBuffer fill(int count) throws IOException {
      int length = count * bytesPerVoxel;
      if (in.readNBytes(chunk, 0, length) < length) {
        throw new EOFException();
      }
      return ByteBuffer.wrap(chunk, 0, length).order(h.order);
    }

    private void toFloats(ByteBuffer b, int count, float[] out, int off) {
      boolean scaled = h.scaled;
      double slope = h.slope;
      double inter = h.inter;
      switch (h.datatype) {
        case DT_UINT8 -> {
          for (int i = 0; i < count; i++) {
            out[off + i] = (float) ((chunk[i] & 0xFF) * slope + inter);
          }
        }
        case DT_INT16 -> {
          for (int i = 0; i < count; i++) {
            out[off + i] = (float) (b.getShort(2 * i) * slope + inter);
          }
        }
        case DT_UINT16 -> {
          for (int i = 0; i < count; i++) {
            out[off + i] = (float) ((b.getShort(2 * i) & 0xFFFF) * slope + inter);
          }
        }
        case DT_INT32 -> {
          for (int i = 0; i < count; i++) {
            out[off + i] = (float) (b.getInt(4 * i) * slope + inter);
          }
        }
        case DT_FLOAT32 -> {
          if (scaled) {
            for (int i = 0; i < count; i++) {
              out[off + i] = (float) (b.getFloat(4 * i) * slope + inter);
            }
          } else {
            b.asFloatBuffer().get(out, off, count);
          }
        }
        default -> {
          for (int i = 0; i < count; i++) {
            double v = b.getDouble(8 * i);
            out[off + i] = (float) (scaled ? v * slope + inter : v);
          }
        }
      }
    }

    /** The values as shorts when every one is an integer in the short range, else null. */
    private static short[] shortsIfExact(float[] values) {
      for (float v : values) {
        if (!(v == Math.rint(v) && v >= Short.MIN_VALUE && v <= Short.MAX_VALUE)) {
          return null;
        }
      }
      short[] shorts = new short[values.length];
      for (int i = 0; i < values.length; i++) {
        shorts[i] = (short) values[i];
      }
      return shorts;
    }
  }
}
