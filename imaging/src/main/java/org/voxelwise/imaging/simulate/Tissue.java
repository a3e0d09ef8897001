package org.voxelwise.imaging.simulate;

/**
 * The tissues of the abdominal phantom, each with the label it gets (0 background, 1 liver, 2
 * tumor). Intrahepatic vessels belong to the liver label, as in LiTS; the gallbladder and the vena
 * cava do not.
 */
enum Tissue {
  AIR(0),
  FAT(0),
  VISCERAL_FAT(0),
  MUSCLE(0),
  LUNG(0),
  HEART(0),
  BONE_CORTICAL(0),
  BONE_CANCELLOUS(0),
  DISC(0),
  CSF(0),
  CARTILAGE(0),
  AORTA(0),
  IVC(0),
  PORTAL_VEIN(0),
  PORTAL_VEIN_IN_LIVER(1),
  HEPATIC_VEIN_IN_LIVER(1),
  LIVER(1),
  TUMOR(2),
  TUMOR_CORE(2),
  KIDNEY_CORTEX(0),
  KIDNEY_MEDULLA(0),
  RENAL_SINUS(0),
  SPLEEN(0),
  PANCREAS(0),
  GALLBLADDER(0),
  GUT_WALL(0),
  FLUID(0),
  GAS(0),
  STOOL(0);

  static final Tissue[] ALL = values();

  /** The label value of voxels of this tissue. */
  final int label;

  Tissue(int label) {
    this.label = label;
  }

  /** Whether a voxel of this tissue belongs to the liver label (parenchyma or its vessels). */
  static boolean isLiver(int tissue) {
    return ALL[tissue].label == 1;
  }

  /**
   * Whether an abdominal organ may be drawn over this tissue: the visceral fat and bowel that fill
   * the space between organs.
   */
  static boolean isFiller(int tissue) {
    return tissue == VISCERAL_FAT.ordinal()
        || tissue == GUT_WALL.ordinal()
        || tissue == FLUID.ordinal()
        || tissue == GAS.ordinal()
        || tissue == STOOL.ordinal();
  }
}
