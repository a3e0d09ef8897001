package org.voxelwise.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.dicom.LoadedSeries;
import org.voxelwise.imaging.nifti.NiftiReader;
import org.voxelwise.imaging.nifti.NiftiWriter;
import org.voxelwise.imaging.volume.Volume;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code voxelwise convert PATH --out FILE.nii[.gz] [--series UID|NUMBER] [--phase N]}: writes one
 * series as NIfTI-1 with its geometry (qform and sform). When PATH holds several series, --series
 * chooses; a 4D series needs --phase. The output appears complete or not at all.
 */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    description = "Convert a DICOM series (or a NIfTI file) to NIfTI-1 (.nii or .nii.gz).")
final class ConvertCommand implements Callable<Integer> {
  @Parameters(paramLabel = "PATH", description = "DICOM folder, DICOMDIR, DICOM file or .nii[.gz]")
  Path path;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Output file, ending in .nii or .nii.gz.")
  Path out;

  @Option(
      names = "--series",
      paramLabel = "UID|NUMBER",
      description = "Which series, when PATH holds several (see `voxelwise info`).")
  String series;

  @Option(
      names = "--phase",
      paramLabel = "N",
      description = "Which phase (1-based) of a 4D series.")
  Integer phase;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (!Inputs.isNifti(out)) {
      throw new ParameterException(spec.commandLine(), "--out must end in .nii or .nii.gz: " + out);
    }
    return GuardedWork.run(
        spec,
        out,
        progress -> {
          Volume volume = Inputs.isNifti(path) ? NiftiReader.read(path) : loadDicom(progress);
          progress.update(0.95, "Writing " + out);
          NiftiWriter.write(volume, out);
          progress.update(1, "Wrote " + out);
          return VoxelwiseCommand.OK;
        });
  }

  private Volume loadDicom(ConsoleProgress progress) throws BadInputException {
    LoadedSeries loaded = Inputs.loadSeries(path, series, progress, spec.commandLine().getErr());
    int phases = loaded.phases().phaseCount();
    if (phase == null) {
      if (phases > 1) {
        throw new BadInputException(
            path.toString(), "the series is 4D (" + phases + " phases); choose one with --phase");
      }
      return loaded.volume();
    }
    if (phase < 1 || phase > phases) {
      throw new BadInputException(
          path.toString(), "--phase " + phase + " is out of range: the series has " + phases);
    }
    return loaded.phases().phases().get(phase - 1);
  }
}
