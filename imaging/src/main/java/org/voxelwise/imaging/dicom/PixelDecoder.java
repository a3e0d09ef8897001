package org.voxelwise.imaging.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the stored pixel values of an instance. Uncompressed little-endian 16-bit data is copied
 * straight from the file (after checking the Pixel Data element where the header read stopped);
 * everything else goes through PixelMed, which decodes big endian, deflate, RLE, JPEG and JPEG
 * 2000.
 */
final class PixelDecoder {
  private PixelDecoder() {}

  /** Thrown for pixel data that cannot be decoded; the message names the problem, not the file. */
  static final class DecodeException extends Exception {
    DecodeException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * The stored values of all frames of {@code h}, frame after frame, as 16-bit words (8-bit data
   * widened without sign).
   */
  static short[] storedValues(InstanceHeader h) throws DecodeException {
    if (h.samplesPerPixel() != 1) {
      throw new DecodeException(
          "colour images (" + h.samplesPerPixel() + " samples per pixel) are not volumes", null);
    }
    if (h.bitsAllocated() != 16 && h.bitsAllocated() != 8) {
      throw new DecodeException(h.bitsAllocated() + "-bit pixels are not supported", null);
    }
    long needed = (long) h.rows() * h.columns() * h.frameCount();
    if (needed <= 0 || needed > Integer.MAX_VALUE) {
      throw new DecodeException(
          "implausible image size " + h.rows() + "×" + h.columns() + "×" + h.frameCount(), null);
    }
    if (h.bitsAllocated() == 16
        && (HeaderReader.IMPLICIT_LE.equals(h.transferSyntaxUid())
            || HeaderReader.EXPLICIT_LE.equals(h.transferSyntaxUid()))) {
      short[] direct = readDirect(h, (int) needed);
      if (direct != null) {
        return direct;
      }
    }
    return readWithPixelMed(h, (int) needed);
  }

  /** Per decoding thread: a direct buffer that file reads go through (1 MiB, little endian). */
  private static final ThreadLocal<ByteBuffer> READ_BUFFER =
      ThreadLocal.withInitial(
          () -> ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN));

  /**
   * Copies uncompressed LE words from the file, or returns null if the layout is not as expected.
   */
  private static short[] readDirect(InstanceHeader h, int needed) throws DecodeException {
    long tagStart = h.pixelDataTagEnd() - 4;
    if (tagStart < 0) {
      return null;
    }
    try (FileChannel ch = FileChannel.open(h.file(), StandardOpenOption.READ)) {
      ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
      if (ch.read(head, tagStart) < 8) {
        return null;
      }
      head.flip();
      if (head.getShort(0) != (short) 0x7FE0 || head.getShort(2) != 0x0010) {
        return null;
      }
      boolean explicit = head.get(4) == 'O' && (head.get(5) == 'W' || head.get(5) == 'B');
      if (explicit && head.limit() < 12) {
        return null;
      }
      long length = Integer.toUnsignedLong(explicit ? head.getInt(8) : head.getInt(4));
      long offset = tagStart + (explicit ? 12 : 8);
      if (length == 0xFFFFFFFFL) {
        return null; // encapsulated, not what the header said
      }
      if (length < 2L * needed || ch.size() < offset + 2L * needed) {
        throw new DecodeException(
            "pixel data truncated: "
                + Math.min(length, Math.max(0, ch.size() - offset)) / 2
                + " of "
                + needed
                + " values present",
            null);
      }
      // Through a reused direct buffer: the file's bytes are copied once, straight into values.
      ByteBuffer chunk = READ_BUFFER.get();
      short[] values = new short[needed];
      int done = 0;
      while (done < needed) {
        int n = Math.min(needed - done, chunk.capacity() / 2);
        chunk.clear().limit(2 * n);
        long at = offset + 2L * done;
        while (chunk.hasRemaining()) {
          if (ch.read(chunk, at + chunk.position()) < 0) {
            throw new DecodeException("pixel data truncated", null);
          }
        }
        chunk.flip();
        chunk.asShortBuffer().get(values, done, n);
        done += n;
      }
      return values;
    } catch (IOException e) {
      throw new DecodeException("cannot read pixel data (" + e.getMessage() + ")", e);
    }
  }

  private static short[] readWithPixelMed(InstanceHeader h, int needed) throws DecodeException {
    AttributeList list = readWholeWithinTimeLimit(h, needed);
    Attribute pixels = list.getPixelData();
    if (pixels == null) {
      throw new DecodeException(
          "pixel data missing or unreadable (file truncated or "
              + transferSyntaxName(h.transferSyntaxUid())
              + " not decodable)",
          null);
    }
    try {
      if (h.bitsAllocated() == 16) {
        short[] words = pixels.getShortValues();
        if (words == null || words.length < needed) {
          throw new DecodeException(
              "pixel data truncated: "
                  + (words == null ? 0 : words.length)
                  + " of "
                  + needed
                  + " values present",
              null);
        }
        return words.length == needed ? words : java.util.Arrays.copyOf(words, needed);
      }
      byte[] bytes = pixels.getByteValues();
      if (bytes == null || bytes.length < needed) {
        throw new DecodeException(
            "pixel data truncated: "
                + (bytes == null ? 0 : bytes.length)
                + " of "
                + needed
                + " values present",
            null);
      }
      short[] widened = new short[needed];
      for (int i = 0; i < needed; i++) {
        widened[i] = (short) (bytes[i] & 0xff);
      }
      return widened;
    } catch (com.pixelmed.dicom.DicomException e) {
      throw new DecodeException("cannot decode pixel data: " + DicomScanner.reason(e), e);
    }
  }

  /** Time allowed to read and decode a file through PixelMed: a base plus a time per value. */
  static final long DECODE_LIMIT_BASE_MS = 2_000;

  static final double DECODE_LIMIT_NS_PER_VALUE = 200;

  /**
   * Reads the whole file (decoding compressed pixel data) with PixelMed on a thread of its own,
   * giving up after {@link #DECODE_LIMIT_BASE_MS} plus {@link #DECODE_LIMIT_NS_PER_VALUE} per
   * value.
   *
   * <p>The bound is needed because the JPEG 2000 decoder (jj2000) loops forever on some corrupt
   * code streams (reading packet header bits past the end of the data) and has no cancellation
   * point. A decode that runs over the limit is stopped with {@link Thread#stop()}, which is safe
   * here: the decoder's state is confined to that thread and thrown away.
   */
  private static AttributeList readWholeWithinTimeLimit(InstanceHeader h, int needed)
      throws DecodeException {
    Path file = h.file();
    AttributeList list = new AttributeList();
    Throwable[] failure = new Throwable[1];
    Thread worker =
        new Thread(
            () -> {
              try (DicomInputStream in = HeaderReader.open(file, HeaderReader.sniff(file))) {
                list.read(in);
              } catch (Exception | OutOfMemoryError | StackOverflowError e) {
                failure[0] = e;
              }
            },
            "voxelwise-decode " + file.getFileName());
    worker.setDaemon(true);
    long limitMs = DECODE_LIMIT_BASE_MS + (long) (needed * DECODE_LIMIT_NS_PER_VALUE / 1e6);
    worker.start();
    try {
      worker.join(limitMs);
    } catch (InterruptedException e) {
      stop(worker);
      Thread.currentThread().interrupt();
      throw new DecodeException("interrupted while decoding pixel data", e);
    }
    if (worker.isAlive()) {
      stop(worker);
      throw new DecodeException(
          "cannot decode pixel data ("
              + transferSyntaxName(h.transferSyntaxUid())
              + "): the decoder did not finish within "
              + limitMs
              + " ms (corrupt compressed data)",
          null);
    }
    if (failure[0] != null) {
      Throwable e = failure[0];
      throw new DecodeException(
          "cannot decode pixel data ("
              + transferSyntaxName(h.transferSyntaxUid())
              + "): "
              + DicomScanner.reason(e),
          e instanceof Exception ? e : null);
    }
    return list;
  }

  @SuppressWarnings({"deprecation", "removal"})
  private static void stop(Thread worker) {
    worker.stop();
  }

  /** A readable name for the transfer syntaxes users meet. */
  static String transferSyntaxName(String uid) {
    return switch (uid) {
      case "1.2.840.10008.1.2" -> "implicit VR little endian";
      case "1.2.840.10008.1.2.1" -> "explicit VR little endian";
      case "1.2.840.10008.1.2.2" -> "explicit VR big endian";
      case "1.2.840.10008.1.2.1.99" -> "deflated little endian";
      case "1.2.840.10008.1.2.5" -> "RLE lossless";
      case "1.2.840.10008.1.2.4.50" -> "JPEG baseline";
      case "1.2.840.10008.1.2.4.51" -> "JPEG extended (12-bit), not supported";
      case "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70" -> "JPEG lossless";
      case "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81" -> "JPEG-LS, not supported";
      case "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91" -> "JPEG 2000";
      default -> "transfer syntax " + uid;
    };
  }
}
