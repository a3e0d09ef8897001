package org.voxelwise.app.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.voxelwise.imaging.dicom.CtSeriesWriter;
import org.voxelwise.imaging.simulate.CalibrationPhantom;
import org.voxelwise.imaging.volume.Volume;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code voxelwise simulate …}: studies made by our simulators, written as DICOM. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = "Write simulated studies as DICOM.",
    subcommands = {
      SimulateCommand.Phantom.class,
      SimulateCtCommand.class,
      SimulateCbct4dCommand.class
    })
final class SimulateCommand {

  /**
   * {@code voxelwise simulate phantom --seed N --out DIR}: a CT calibration phantom (water cylinder
   * with air, fat, soft-tissue, acrylic and bone inserts) as a DICOM CT series; deterministic from
   * the seed, UIDs included.
   */
  @Command(
      name = "phantom",
      mixinStandardHelpOptions = true,
      description = "A CT calibration phantom (water with five inserts of known HU) as DICOM CT.")
  static final class Phantom implements Callable<Integer> {
    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default 1).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      return GuardedWork.run(
          spec,
          out,
          progress -> {
            Volume phantom = CalibrationPhantom.createDefault(seed);
            CtSeriesWriter.Options options =
                CtSeriesWriter.Options.builder()
                    .uidSeed("calibration-phantom-" + seed)
                    .patientName("Voxelwise^CalibrationPhantom")
                    .patientId("VW-PHANTOM-" + seed)
                    .studyDescription("Calibration phantom (seed " + seed + ")")
                    .seriesDescription("Water with air, fat, soft tissue, acrylic and bone inserts")
                    .bodyPartExamined("PHANTOM")
                    .build();
            List<Path> files = CtSeriesWriter.write(phantom, out, options, progress);
            spec.commandLine().getErr().println("Wrote " + files.size() + " files to " + out);
            return VoxelwiseCommand.OK;
          });
    }
  }
}
