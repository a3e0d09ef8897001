package org.voxelwise.imaging.volume;

import java.util.List;

/**
 * The labels of liver and liver-tumor segmentations, shared by the phantom that makes them and the
 * model that predicts them: 0 background, 1 liver, 2 tumor, with SNOMED CT codes.
 */
public final class LiverTumorLabels {
  /** Label value of the liver. */
  public static final int LIVER = 1;

  /** Label value of liver tumors. */
  public static final int TUMOR = 2;

  /**
   * The label table: liver and tumor, with colours and SNOMED CT codes (and their categories, as
   * DICOM SEG writes them).
   */
  public static final List<LabelVolume.Label> TABLE =
      List.of(
          new LabelVolume.Label(
              LIVER,
              "liver",
              0xD2691E,
              new LabelVolume.Code("SCT", "10200004", "Liver"),
              new LabelVolume.Code("SCT", "123037004", "Anatomical Structure")),
          new LabelVolume.Label(
              TUMOR,
              "tumor",
              0x32CD32,
              new LabelVolume.Code("SCT", "108369006", "Neoplasm"),
              new LabelVolume.Code("SCT", "49755003", "Morphologically Altered Structure")));

  private LiverTumorLabels() {}
}
