package org.voxelwise.segmentation.hdenseunet;

/**
 * The 3D DenseUNet of H-DenseUNet: inter-slice context over a slab.
 *
 * <p>Input N×C×D×H×W; inside {@link HDenseUNet}, C = 1 + classes (the slab and the 2D branch's
 * logits restacked along z: auto-context). Convolutions are 3 deep along z (1 for 1×1 ones), while
 * pooling, strides and upsampling act in-plane only ((1, 2, 2)), so D is kept at every level and
 * any slab depth works. Output: the decoder's features N×featureWidth×D×H×W and, when built with a
 * classifier, the logits N×classes×D×H×W. Structure: see {@link DenseUNet}.
 */
public final class DenseUNet3D extends DenseUNet {

  /**
   * Builds the network with a classifier.
   *
   * @param spec the encoder
   * @param featureWidth channels of the features returned first
   * @param classes channels of the logits, 2 or more
   * @throws IllegalArgumentException if a width is out of range
   */
  public DenseUNet3D(DenseNetSpec spec, int featureWidth, int classes) {
    super(Spatial.SLAB, spec, featureWidth, DenseUNet2D.requireClasses(classes));
  }

  private DenseUNet3D(DenseNetSpec spec, int featureWidth) {
    super(Spatial.SLAB, spec, featureWidth, 0);
  }

  /**
   * A 3D DenseUNet without classifier, returning its features only: the 3D branch of {@link
   * HDenseUNet}, whose logits come from the fusion layer.
   */
  static DenseUNet3D featuresOnly(DenseNetSpec spec, int featureWidth) {
    return new DenseUNet3D(spec, featureWidth);
  }
}
