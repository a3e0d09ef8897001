package org.voxelwise.imaging.dicom;

/**
 * Where one image frame lies and how its stored values become real values. A classic single-frame
 * instance has one frame; an enhanced multi-frame instance has one per frame, taken from its
 * functional groups.
 *
 * @param frameIndex 0-based frame number within its instance
 * @param positionMm ImagePositionPatient (LPS, mm), or null when absent
 * @param orientation ImageOrientationPatient (row cosine then column cosine), or null when absent
 * @param pixelSpacingMm PixelSpacing as in DICOM, [between rows, between columns], or null
 * @param rescaleSlope multiplier from stored to real values (1 when absent)
 * @param rescaleIntercept added after the slope (0 when absent)
 * @param temporalKey which phase of a 4D acquisition the frame belongs to (from
 *     TemporalPositionIndex, TemporalPositionIdentifier or TriggerTime), or null for none
 */
public record FrameHeader(
    int frameIndex,
    double[] positionMm,
    double[] orientation,
    double[] pixelSpacingMm,
    double rescaleSlope,
    double rescaleIntercept,
    Double temporalKey) {}
