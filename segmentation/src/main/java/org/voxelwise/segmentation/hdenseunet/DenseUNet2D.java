package org.voxelwise.segmentation.hdenseunet;

/**
 * The 2D DenseUNet of H-DenseUNet: intra-slice features from slices given with their neighbours.
 *
 * <p>Input N×3×H×W: each of the N slices as a 3-channel image of slices z−1, z, z+1 (N is batch ×
 * slab depth inside {@link HDenseUNet}). Output: the decoder's features N×featureWidth×H×W (fed to
 * the hybrid feature fusion) and the logits N×classes×H×W. Structure: see {@link DenseUNet}.
 */
public final class DenseUNet2D extends DenseUNet {

  /**
   * Builds the network.
   *
   * @param spec the encoder
   * @param featureWidth channels of the features returned first (H-DenseUNet: the HFF width)
   * @param classes channels of the logits, 2 or more
   * @throws IllegalArgumentException if a width is out of range
   */
  public DenseUNet2D(DenseNetSpec spec, int featureWidth, int classes) {
    super(Spatial.PLANE, spec, featureWidth, requireClasses(classes));
  }

  static int requireClasses(int classes) {
    if (classes < 2) {
      throw new IllegalArgumentException("classes must be 2 or more, got " + classes);
    }
    return classes;
  }
}
