package org.voxelwise.imaging.render;

/**
 * The usual CT display windows, in HU. Values from Radiopaedia's "Windowing (CT)" article
 * (radiopaedia.org/articles/windowing-ct): soft tissue/abdomen W400 L40, liver W150 L30, lung W1500
 * L−600, bone W1800 L400, brain W80 L40.
 */
public enum WindowPreset {
  ABDOMEN("Abdomen", WindowLevel.ABDOMEN),
  LIVER("Liver", new WindowLevel(30, 150)),
  LUNG("Lung", new WindowLevel(-600, 1500)),
  BONE("Bone", new WindowLevel(400, 1800)),
  BRAIN("Brain", new WindowLevel(40, 80));

  private final String displayName;
  private final WindowLevel window;

  WindowPreset(String displayName, WindowLevel window) {
    this.displayName = displayName;
    this.window = window;
  }

  /** The name shown in menus ("Abdomen", …). */
  public String displayName() {
    return displayName;
  }

  public WindowLevel window() {
    return window;
  }
}
