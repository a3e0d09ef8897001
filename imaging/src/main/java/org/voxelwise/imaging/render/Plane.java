package org.voxelwise.imaging.render;

/**
 * The three standard viewing planes, shown in the radiological convention: the patient's right on
 * the screen's left in axial and coronal views, anterior on the left in sagittal views, anterior at
 * the top of axial views and the head at the top of coronal and sagittal views.
 */
public enum Plane {
  AXIAL(2, new double[] {1, 0, 0}, new double[] {0, 1, 0}),
  CORONAL(1, new double[] {1, 0, 0}, new double[] {0, 0, -1}),
  SAGITTAL(0, new double[] {0, 1, 0}, new double[] {0, 0, -1});

  private final int normalPatientAxis;
  private final double[] screenRight;
  private final double[] screenDown;

  Plane(int normalPatientAxis, double[] screenRight, double[] screenDown) {
    this.normalPatientAxis = normalPatientAxis;
    this.screenRight = screenRight;
    this.screenDown = screenDown;
  }

  /** The patient axis (0 = x/left, 1 = y/posterior, 2 = z/head, LPS) this plane is normal to. */
  public int normalPatientAxis() {
    return normalPatientAxis;
  }

  /** The patient (LPS) direction the screen's x axis should point to (a copy). */
  public double[] screenRight() {
    return screenRight.clone();
  }

  /** The patient (LPS) direction the screen's y axis (downwards) should point to (a copy). */
  public double[] screenDown() {
    return screenDown.clone();
  }
}
