package org.voxelwise.imaging.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.simulate.Cbct4dSimulator;
import org.voxelwise.imaging.volume.Volume;
import org.voxelwise.imaging.volume.Volume4D;

/**
 * Small simulated 4D CBCT studies (64×64×4, 10 phases) written as {@code voxelwise simulate cbct4d}
 * writes them, and ways to break them.
 */
final class Cbct4dFixture {
  /** Series number and description of the prior, as {@code simulate cbct4d} writes them. */
  static final int PRIOR_SERIES_NUMBER = 100;

  static final String PRIOR_DESCRIPTION = "Prior (all projections)";

  private static Cbct4dSimulator.Result result;

  private Cbct4dFixture() {}

  /** The simulated case (computed once per JVM). */
  static synchronized Cbct4dSimulator.Result simulated() {
    if (result == null) {
      result =
          Cbct4dSimulator.simulate(
              Cbct4dSimulator.Parameters.defaults(3).withSize(64, 64, 4).withProjections(120),
              ProgressListener.NONE);
    }
    return result;
  }

  /** Options as {@code simulate cbct4d} uses them. */
  static CtSeriesWriter.Options options() {
    return CtSeriesWriter.Options.builder()
        .uidSeed("fixture-cbct4d")
        .patientName("Voxelwise^Cbct4dPhantom")
        .patientId("VW-CBCT4D-3")
        .studyDescription("Simulated 4D CBCT (seed 3)")
        .seriesDescription("4D CBCT")
        .bodyPartExamined("CHEST")
        .seriesNumber(1)
        .derived(true)
        .build();
  }

  /** Writes the phases to {@code dir/phases/phaseNN}. */
  static void writePhases(Volume4D phases, Path dir) throws IOException {
    CtSeriesWriter.writePhases(phases, dir.resolve("phases"), options(), ProgressListener.NONE);
  }

  /** Writes a prior series to {@code dir/prior}. */
  static void writePrior(Volume prior, Path dir) throws IOException {
    CtSeriesWriter.write(
        prior,
        dir.resolve("prior"),
        options().toBuilder()
            .seriesNumber(PRIOR_SERIES_NUMBER)
            .seriesDescription(PRIOR_DESCRIPTION)
            .build(),
        ProgressListener.NONE);
  }

  /** The simulated phases and prior, as {@code simulate cbct4d} writes them, in {@code dir}. */
  static Path writeStudy(Path dir) throws IOException {
    writePhases(simulated().phases(), dir);
    writePrior(simulated().prior(), dir);
    return dir;
  }

  /** The first {@code n} phases of the simulated case. */
  static Volume4D firstPhases(int n) {
    Volume4D all = simulated().phases();
    return new Volume4D(all.phases().subList(0, n), all.phaseLabels().subList(0, n));
  }

  /** All regular files under {@code dir}, sorted. */
  static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /** Reads a whole DICOM file with PixelMed. */
  static AttributeList read(Path file) throws Exception {
    AttributeList list = new AttributeList();
    list.read(file.toString());
    return list;
  }

  /** Gives every DICOM file under {@code dir} the SeriesInstanceUID {@code uid} (in place). */
  static void setSeriesUid(Path dir, String uid) throws Exception {
    for (Path f : files(dir)) {
      AttributeList list = read(f);
      list.replaceWithValueIfPresent(TagFromName.SeriesInstanceUID, uid);
      list.write(f.toString(), TransferSyntax.ExplicitVRLittleEndian, true, true);
    }
  }
}
