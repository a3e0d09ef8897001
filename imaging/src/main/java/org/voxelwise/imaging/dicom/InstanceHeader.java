package org.voxelwise.imaging.dicom;

import java.nio.file.Path;
import java.util.List;

/**
 * What the header of one DICOM image file says, read without its pixel data.
 *
 * @param file the file
 * @param transferSyntaxUid how the data set is encoded (implicit VR little endian when the file has
 *     no meta information)
 * @param pixelDataTagEnd byte offset just past the Pixel Data tag (where its VR or length starts),
 *     or -1 when the file has no pixel data
 * @param frames one entry per frame, at least one for a file with pixel data
 */
public record InstanceHeader(
    Path file,
    String sopClassUid,
    String sopInstanceUid,
    String transferSyntaxUid,
    String patientId,
    String patientName,
    String studyInstanceUid,
    String studyDescription,
    String studyDate,
    String seriesInstanceUid,
    int seriesNumber,
    String seriesDescription,
    String modality,
    String frameOfReferenceUid,
    List<String> imageType,
    int instanceNumber,
    int rows,
    int columns,
    int bitsAllocated,
    int bitsStored,
    int pixelRepresentation,
    int samplesPerPixel,
    String photometricInterpretation,
    long pixelDataTagEnd,
    List<FrameHeader> frames) {

  /** Whether this image is a scout/localizer (ImageType contains LOCALIZER). */
  public boolean isLocalizer() {
    return imageType.stream().anyMatch(t -> t.equalsIgnoreCase("LOCALIZER"));
  }

  /** Whether the file carries pixel data at all. */
  public boolean hasPixelData() {
    return pixelDataTagEnd >= 0;
  }

  public int frameCount() {
    return frames.size();
  }
}
