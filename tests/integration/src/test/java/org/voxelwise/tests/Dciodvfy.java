package org.voxelwise.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

/** dicom3tools' {@code dciodvfy} as the validator of the DICOM files the command line writes. */
final class Dciodvfy {
  private Dciodvfy() {}

  /**
   * Runs dciodvfy on a file that must validate as the IOD named {@code iod} (e.g. "Segmentation")
   * with exit status 0, and returns its "Error" and "Warning" lines.
   */
  static List<String> complaints(Path file, String iod) throws Exception {
    Cli.Result r = Cli.process(List.of("/usr/bin/dciodvfy", file.toString()), file.getParent(), 60);
    String text = r.out() + r.err();
    assertEquals(0, r.exitCode(), text);
    assertTrue(text.contains(iod), () -> "dciodvfy did not check it as " + iod + ":\n" + text);
    return text.lines().filter(l -> l.startsWith("Error") || l.startsWith("Warning")).toList();
  }
}
