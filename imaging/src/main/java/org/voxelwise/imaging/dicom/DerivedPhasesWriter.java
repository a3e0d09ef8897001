package org.voxelwise.imaging.dicom;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;
import org.voxelwise.imaging.progress.OperationCancelledException;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.volume.Volume4D;

/**
 * Writes the phases of a 4D study computed from a {@link Cbct4dStudy} (e.g. with streaks reduced)
 * as a new DICOM 4D study, one CT series per phase ({@link CtSeriesWriter#writePhases}), that
 * refers back to its source.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>New Study, Series and SOP Instance UIDs on every call (from a random seed); the source's
 *       patient (name, id, sex, birth date), FrameOfReferenceUID and body part; the phases'
 *       geometry as given.
 *   <li>ImageType DERIVED\SECONDARY\AXIAL with the given DerivationDescription. Each slice refers
 *       to the source image of the same phase and slice (SourceImageSequence, and the source study
 *       and series in StudiesContainingOtherReferencedInstancesSequence).
 *   <li>Phase {@code p} (0-based) goes to {@code directory/phase%02d}, series number {@code p + 1},
 *       TemporalPositionIdentifier and TemporalPositionIndex {@code p + 1},
 *       NumberOfTemporalPositions the phase count, and the source phase's TriggerTime when it has
 *       one: the attributes that {@code simulate cbct4d} writes, so that {@link PhaseGrouping}
 *       groups the output into the same phases in the same order. Its description is the source
 *       series' description (followed by the phase label when all phases came from one series) and
 *       the suffix.
 *   <li>HU are rounded to integers (16-bit, slope 1, intercept 0).
 *   <li>The study is written into a hidden folder beside {@code directory} and moved into place
 *       once complete; a {@code directory} already there is replaced. On failure or cancellation
 *       nothing is left: neither the hidden folder nor a partial {@code directory}.
 * </ul>
 */
public final class DerivedPhasesWriter {
  private DerivedPhasesWriter() {}

  /**
   * How the derived study describes itself.
   *
   * @param seriesSuffix appended to the study's and each series' description, e.g. "RSTAR4D"
   * @param derivationDescription how the images were computed (DerivationDescription), at most 1024
   *     characters
   * @param dateTime the study, series and content date and time
   */
  public record Derivation(
      String seriesSuffix, String derivationDescription, LocalDateTime dateTime) {
    public Derivation {
      Objects.requireNonNull(seriesSuffix, "seriesSuffix");
      Objects.requireNonNull(derivationDescription, "derivationDescription");
      Objects.requireNonNull(dateTime, "dateTime");
    }
  }

  /** One written phase series. */
  public record WrittenSeries(
      String label, String seriesInstanceUid, String seriesDescription, Path folder, int images) {}

  /** What was written: the new study and its series in phase order. */
  public record Written(String studyInstanceUid, List<WrittenSeries> series) {
    public Written {
      series = List.copyOf(series);
    }
  }

  /**
   * Writes {@code phases} as a new 4D study derived from {@code source} into {@code directory}.
   *
   * @param source the study the phases were computed from
   * @param phases the computed phases, as many as the source's and on its grid
   * @param directory the study's folder; replaced when it exists
   * @param derivation descriptions and date
   * @param progress fraction of images written; cancelling stops between images
   * @return the new study's UID and its series, with their final folders
   * @throws IOException when writing fails (nothing is left behind)
   * @throws OperationCancelledException when cancelled (nothing is left behind)
   * @throws IllegalArgumentException when the phases do not match the source's count or grid
   */
  public static Written write(
      Cbct4dStudy source,
      Volume4D phases,
      Path directory,
      Derivation derivation,
      ProgressListener progress)
      throws IOException {
    int count = phases.phaseCount();
    if (count != source.phases().phaseCount()
        || !phases.geometry().sameGrid(source.phases().geometry(), 0.05)) {
      throw new IllegalArgumentException(
          count + " phases on " + phases.geometry() + " do not match the source's grid");
    }
    Cbct4dStudy.Source s = source.source();
    String seed = UUID.randomUUID().toString();
    CtSeriesWriter.Options.Builder builder =
        CtSeriesWriter.Options.builder()
            .uidSeed(seed)
            .patientName(fit(s.patientName(), 64))
            .patientId(fit(s.patientId(), 64))
            .patientSex(s.patientSex())
            .patientBirthDate(s.patientBirthDate())
            .bodyPartExamined(s.bodyPartExamined())
            .studyDescription(
                fit((s.studyDescription() + " " + derivation.seriesSuffix()).trim(), 64))
            .seriesNumber(1)
            .derived(true)
            .derivationDescription(fit(derivation.derivationDescription(), 1024))
            .dateTime(derivation.dateTime());
    if (!s.frameOfReferenceUid().isEmpty()) {
      builder.frameOfReferenceUid(s.frameOfReferenceUid());
    }
    CtSeriesWriter.Options options = builder.build();
    List<Cbct4dStudy.PhaseSource> sources = source.phaseSources();
    boolean oneSourceSeries =
        sources.stream().map(Cbct4dStudy.PhaseSource::seriesInstanceUid).distinct().count() == 1;
    List<String> descriptions = new ArrayList<>();
    for (Cbct4dStudy.PhaseSource p : sources) {
      String label = oneSourceSeries ? " " + p.label() : "";
      descriptions.add(
          fit((p.seriesDescription() + label + " " + derivation.seriesSuffix()).trim(), 64));
    }

    Path parent = directory.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temporary = parent.resolve("." + directory.getFileName() + "-" + seed + ".part");
    String[] seriesUids = new String[count];
    List<List<Path>> files;
    try {
      files =
          CtSeriesWriter.writePhases(
              phases,
              temporary,
              options,
              (p, b) -> {
                b.seriesDescription(descriptions.get(p))
                    .temporalPosition(
                        new CtSeriesWriter.TemporalPosition(
                            p + 1, count, sources.get(p).triggerTimeMs()))
                    .sourceImages(sources.get(p).images());
                seriesUids[p] = b.build().seriesInstanceUid();
                return b;
              },
              progress);
      progress.checkCancelled();
      moveIntoPlace(temporary, directory, seed);
    } finally {
      deleteTree(temporary);
    }
    List<WrittenSeries> written = new ArrayList<>();
    for (int p = 0; p < count; p++) {
      written.add(
          new WrittenSeries(
              phases.phaseLabels().get(p),
              seriesUids[p],
              descriptions.get(p),
              directory.resolve(temporary.relativize(files.get(p).get(0).getParent())),
              files.get(p).size()));
    }
    return new Written(options.studyInstanceUid(), written);
  }

  /** Moves the finished folder to {@code target}, replacing what is there. */
  private static void moveIntoPlace(Path finished, Path target, String seed) throws IOException {
    Path old = null;
    if (Files.exists(target)) {
      if (!Files.isDirectory(target)) {
        throw new FileAlreadyExistsException(target.toString(), null, "not a folder");
      }
      old = target.resolveSibling("." + target.getFileName() + "-" + seed + ".old");
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    }
    try {
      Files.move(finished, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (old != null) {
        Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
      }
      throw e;
    }
    if (old != null) {
      deleteTree(old);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Text a DICOM writer accepts: no backslash, at most {@code max} characters. */
  private static String fit(String text, int max) {
    String t = text.replace('\\', ' ');
    return t.length() <= max ? t : t.substring(0, max);
  }
}
