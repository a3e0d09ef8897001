package org.voxelwise.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.voxelwise.app.viewer.ViewerApp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code voxelwise view [PATH]}: opens the viewer on a study (the sample study when PATH is
 * omitted). Without a display it says so in one line and exits with 1.
 */
@Command(
    name = "view",
    mixinStandardHelpOptions = true,
    description = "Open the viewer on a DICOM folder, DICOMDIR, DICOM file or NIfTI file.")
final class ViewCommand implements Callable<Integer> {
  /**
   * JavaFX warns that it runs from the class path rather than as modules, which is how we ship it;
   * held here so that the level set on it stays.
   */
  private static final java.util.logging.Logger JAVAFX_STARTUP_LOGGER =
      java.util.logging.Logger.getLogger("javafx");

  @Parameters(
      paramLabel = "PATH",
      arity = "0..1",
      description = "What to open (default: the sample CT study).")
  Path path;

  @Option(
      names = "--layout",
      paramLabel = "1x1|1x3",
      description = "Views to show at start: 1x1 (axial) or 1x3 (axial, coronal, sagittal).")
  String layout = "1x1";

  @Option(
      names = "--labels",
      paramLabel = "FILE",
      description = "Labels to show over the study: a NIfTI file or a DICOM SEG of its series.")
  Path labels;

  @Override
  public Integer call() {
    Path target = path != null ? path : sampleStudy();
    if (!hasDisplay()) {
      System.err.println(
          "voxelwise: no display (DISPLAY is not set), so the viewer cannot open; use the command"
              + " line instead: ./voxelwise info "
              + target
              + " (./voxelwise --help lists all commands)");
      return VoxelwiseCommand.BAD_INPUT;
    }
    if (!Files.exists(target)) {
      System.err.println("voxelwise: " + target + ": does not exist");
      return VoxelwiseCommand.BAD_INPUT;
    }
    if (labels != null && !Files.isRegularFile(labels)) {
      System.err.println("voxelwise: " + labels + ": no such file");
      return VoxelwiseCommand.BAD_INPUT;
    }
    if (!layout.equals("1x1") && !layout.equals("1x3")) {
      System.err.println("voxelwise: --layout must be 1x1 or 1x3, not " + layout);
      return VoxelwiseCommand.USAGE;
    }
    JAVAFX_STARTUP_LOGGER.setLevel(java.util.logging.Level.SEVERE);
    ViewerApp.launchOn(target, layout.equals("1x3"), labels);
    return VoxelwiseCommand.OK;
  }

  /** The sample abdominal CT study shipped in the repository (its DICOM series). */
  static Path sampleStudy() {
    String home = System.getProperty("voxelwise.home", ".");
    return Path.of(home, "sample-data", "abdomen-ct", "ct").toAbsolutePath().normalize();
  }

  private static boolean hasDisplay() {
    if ("Monocle".equals(System.getProperty("glass.platform"))) {
      return true;
    }
    String display = System.getenv("DISPLAY");
    String wayland = System.getenv("WAYLAND_DISPLAY");
    return (display != null && !display.isBlank()) || (wayland != null && !wayland.isBlank());
  }
}
