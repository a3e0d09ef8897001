package org.voxelwise.imaging.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.dicom.SliceLayout.Layout;
import org.voxelwise.imaging.dicom.SliceLayout.Slice;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;
import org.voxelwise.imaging.volume.Volume4D;

/**
 * A 4D CBCT study gathered for streak reduction: its respiratory phases (at least {@value
 * #MIN_PHASES}, on one grid), a prior image on the same grid, and where each phase image came from
 * (to reference the sources from the corrected images).
 *
 * <p>How {@link #assemble} finds them in a scanned path:
 *
 * <ul>
 *   <li><b>Phases</b>: either one series per phase ({@link PhaseGrouping}: series of one study and
 *       frame of reference, same image size, orientation and image count, each with its own
 *       temporal position), or one series whose images carry several temporal positions at repeated
 *       slice positions ({@link SeriesLoader#load}). The path must hold exactly one such 4D study.
 *   <li><b>Prior</b>: a series of the same study that carries no temporal position and whose
 *       SeriesDescription contains the word "prior" (any case), such as the series 100 "Prior (all
 *       projections)" that {@code voxelwise simulate cbct4d} writes. It must be on the phases'
 *       frame of reference and grid. When the study has none, the prior is the voxel-wise average
 *       of the phases (which, for phases reconstructed from disjoint sets of projections,
 *       approximates the reconstruction from all projections), and a warning says so.
 * </ul>
 *
 * <p>Everything that makes the study unusable is a {@link BadInputException} naming the path or the
 * series: a single 3D volume, fewer than {@value #MIN_PHASES} phases, phases of different geometry
 * (image size, image count, orientation, frame of reference or grid), several 4D studies or several
 * priors, and a prior that is 4D or not on the phases' grid.
 *
 * @param phases the phases in temporal order, in HU
 * @param prior the prior on the phases' grid, in HU
 * @param priorSource whether the prior is a series of the study or the average of the phases
 * @param priorSeries how the prior series is named in messages (folder, number, description), or
 *     null for the phase average
 * @param source the patient, study and frame of reference the phases belong to
 * @param phaseSources one per phase, in phase order: its series and the image behind each slice
 * @param warnings what the loader reported (left-out images, gaps, …) and how the prior was made
 */
public record Cbct4dStudy(
    Volume4D phases,
    Volume prior,
    PriorSource priorSource,
    String priorSeries,
    Source source,
    List<PhaseSource> phaseSources,
    List<String> warnings) {
  /** The fewest phases streak reduction works on. */
  public static final int MIN_PHASES = 3;

  private static final Pattern PRIOR_DESCRIPTION =
      Pattern.compile("\\bprior\\b", Pattern.CASE_INSENSITIVE);

  public Cbct4dStudy {
    Objects.requireNonNull(phases, "phases");
    Objects.requireNonNull(prior, "prior");
    Objects.requireNonNull(priorSource, "priorSource");
    Objects.requireNonNull(source, "source");
    phaseSources = List.copyOf(phaseSources);
    warnings = List.copyOf(warnings);
    if (phaseSources.size() != phases.phaseCount()) {
      throw new IllegalArgumentException(
          phases.phaseCount() + " phases but " + phaseSources.size() + " phase sources");
    }
    if (!prior.geometry().sameGrid(phases.geometry(), 0.05)) {
      throw new IllegalArgumentException("the prior is not on the phases' grid");
    }
  }

  /** Where the prior came from. */
  public enum PriorSource {
    /** A prior series of the study. */
    SERIES("series"),
    /** The average of the phases (the study has no prior series). */
    PHASE_AVERAGE("phase-average");

    private final String key;

    PriorSource(String key) {
      this.key = key;
    }

    /** How reports name it: {@code "series"} or {@code "phase-average"}. */
    public String key() {
      return key;
    }
  }

  /**
   * What the phases' images say about their patient, study and frame of reference (from the first
   * image of the first phase). Values a DICOM writer would refuse (a sex other than M, F or O, a
   * birth date not of the form YYYYMMDD, a body part not a defined term) are given as "".
   */
  public record Source(
      String patientName,
      String patientId,
      String patientSex,
      String patientBirthDate,
      String studyInstanceUid,
      String studyDescription,
      String frameOfReferenceUid,
      String bodyPartExamined) {}

  /**
   * Where one phase came from.
   *
   * @param seriesInstanceUid the series holding the phase
   * @param seriesDescription its description
   * @param label the phase label (as in {@link Volume4D#phaseLabels()})
   * @param triggerTimeMs the TriggerTime of the phase's images, or null when they have none
   * @param images the image behind each slice of the phase, in slice order
   */
  public record PhaseSource(
      String seriesInstanceUid,
      String seriesDescription,
      String label,
      Double triggerTimeMs,
      List<CtSeriesWriter.SourceImage> images) {
    public PhaseSource {
      images = List.copyOf(images);
    }
  }

  /**
   * Finds the one 4D study in a scanned path and loads its phases and prior (see the class
   * comment).
   *
   * @param path the scanned path, as messages name it
   * @param index what scanning it found
   * @param progress loading progress; cancelling stops between images
   * @throws BadInputException when the path holds no usable 4D study
   * @throws org.voxelwise.imaging.progress.OperationCancelledException when cancelled
   */
  public static Cbct4dStudy assemble(Path path, DicomIndex index, ProgressListener progress)
      throws BadInputException {
    Candidate candidate = onlyCandidate(path, index);
    List<String> warnings = new ArrayList<>();
    LoadedSeries loaded;
    List<Layout> layouts = new ArrayList<>();
    List<DicomIndex.Series> phaseSeries;
    if (candidate.phaseSeries().size() > 1) {
      phaseSeries = candidate.phaseSeries();
      loaded = SeriesLoader.loadPhases(phaseSeries, progress.part(0, 0.85));
      for (DicomIndex.Series s : phaseSeries) {
        layouts.addAll(SeriesLoader.layouts(s, new ArrayList<>()));
      }
    } else {
      DicomIndex.Series series = candidate.phaseSeries().get(0);
      loaded = SeriesLoader.load(series, progress.part(0, 0.85));
      if (loaded.phases().phaseCount() < MIN_PHASES) {
        throw tooFewPhases(SeriesLoader.nameOf(series), loaded.phases().phaseCount());
      }
      layouts.addAll(SeriesLoader.layouts(series, new ArrayList<>()));
      phaseSeries = java.util.Collections.nCopies(layouts.size(), series);
    }
    warnings.addAll(loaded.warnings());
    Volume4D phases = loaded.phases();
    List<PhaseSource> sources = new ArrayList<>();
    for (int p = 0; p < phases.phaseCount(); p++) {
      sources.add(phaseSource(phaseSeries.get(p), phases.phaseLabels().get(p), layouts.get(p)));
    }
    AttributeList first = header(layouts.get(0).slices().get(0).instance().file());
    Source source = source(first);

    progress.update(0.85, "Looking for a prior series");
    DicomIndex.Series priorSeries = priorSeries(path, candidate);
    Volume prior;
    if (priorSeries != null) {
      prior = loadPrior(priorSeries, phases, source, warnings, progress.part(0.85, 1));
    } else {
      prior = phaseAverage(phases);
      warnings.add(
          "the study has no prior series (one whose description contains \"prior\"): the prior is"
              + " the average of the "
              + phases.phaseCount()
              + " phases");
    }
    progress.update(1, "Loaded " + phases.phaseCount() + " phases and the prior");
    return new Cbct4dStudy(
        phases,
        prior,
        priorSeries != null ? PriorSource.SERIES : PriorSource.PHASE_AVERAGE,
        priorSeries != null ? SeriesLoader.nameOf(priorSeries) : null,
        source,
        sources,
        warnings);
  }

  /** A 4D study found in the headers: its phase series (one, for a single 4D series). */
  private record Candidate(DicomIndex.Study study, List<DicomIndex.Series> phaseSeries) {
    int phaseCount() {
      return phaseSeries.size() > 1 ? phaseSeries.size() : temporalKeys(phaseSeries.get(0));
    }

    String describe() {
      DicomIndex.Series first = phaseSeries.get(0);
      return phaseSeries.size() > 1
          ? phaseSeries.size() + " phase series from " + SeriesLoader.nameOf(first)
          : SeriesLoader.nameOf(first);
    }
  }

  private static Candidate onlyCandidate(Path path, DicomIndex index) throws BadInputException {
    List<Candidate> candidates = new ArrayList<>();
    for (DicomIndex.Patient patient : index.patients()) {
      for (DicomIndex.Study study : patient.studies()) {
        candidates.addAll(candidatesIn(study));
      }
    }
    List<DicomIndex.Series> all = index.allSeries();
    if (candidates.isEmpty()) {
      if (all.size() == 1) {
        throw singleVolume(SeriesLoader.nameOf(all.get(0)), all.get(0));
      }
      throw new BadInputException(
          path,
          "none of its "
              + all.size()
              + " series is part of a 4D study (no temporal positions); destreaking needs at least "
              + MIN_PHASES
              + " respiratory phases");
    }
    if (candidates.size() > 1) {
      throw new BadInputException(
          path,
          "holds "
              + candidates.size()
              + " 4D studies ("
              + String.join("; ", candidates.stream().map(Candidate::describe).toList())
              + "); give the folder of one");
    }
    Candidate c = candidates.get(0);
    int count = c.phaseCount();
    if (count == 1) {
      throw singleVolume(SeriesLoader.nameOf(c.phaseSeries().get(0)), c.phaseSeries().get(0));
    }
    if (count < MIN_PHASES) {
      throw tooFewPhases(c.describe(), count);
    }
    return c;
  }

  private static BadInputException singleVolume(String name, DicomIndex.Series s) {
    InstanceHeader h = s.instances().get(0);
    return new BadInputException(
        name,
        "a single 3D volume ("
            + h.columns()
            + "×"
            + h.rows()
            + "×"
            + s.frameCount()
            + "), not a 4D study; destreaking needs at least "
            + MIN_PHASES
            + " respiratory phases");
  }

  private static BadInputException tooFewPhases(String name, int count) {
    return new BadInputException(
        name,
        "only "
            + count
            + " phases; destreaking needs at least "
            + MIN_PHASES
            + " respiratory phases");
  }

  /**
   * The 4D studies of one study: its series with one temporal position each (which must form one
   * phase group), and each series with several temporal positions.
   *
   * @throws BadInputException when series with a temporal position differ in geometry or share a
   *     temporal position
   */
  private static List<Candidate> candidatesIn(DicomIndex.Study study) throws BadInputException {
    List<Candidate> found = new ArrayList<>();
    List<DicomIndex.Series> phaseLike =
        study.series().stream()
            .filter(s -> PhaseGrouping.singleTemporalKey(s) != null)
            .sorted(Comparator.comparingDouble(PhaseGrouping::singleTemporalKey))
            .toList();
    if (phaseLike.size() == 1) {
      found.add(new Candidate(study, phaseLike));
    } else if (phaseLike.size() > 1) {
      List<List<DicomIndex.Series>> groups = PhaseGrouping.phaseSeriesGroups(study);
      List<DicomIndex.Series> group =
          groups.stream().max(Comparator.comparingInt(List::size)).orElse(List.of());
      if (group.size() != phaseLike.size()) {
        DicomIndex.Series reference = group.isEmpty() ? phaseLike.get(0) : group.get(0);
        DicomIndex.Series odd =
            phaseLike.stream().filter(s -> s != reference && !group.contains(s)).findFirst().get();
        throw new BadInputException(
            SeriesLoader.nameOf(odd),
            "phases of different geometry: " + difference(odd, reference, phaseLike));
      }
      found.add(new Candidate(study, group));
    }
    for (DicomIndex.Series s : study.series()) {
      if (temporalKeys(s) > 1) {
        found.add(new Candidate(study, List.of(s)));
      }
    }
    return found;
  }

  /** How the series {@code odd} differs from the phase series {@code reference}. */
  private static String difference(
      DicomIndex.Series odd, DicomIndex.Series reference, List<DicomIndex.Series> phaseLike) {
    InstanceHeader a = odd.instances().get(0);
    InstanceHeader b = reference.instances().get(0);
    String other = "series " + reference.seriesNumber();
    if (!a.frameOfReferenceUid().equals(b.frameOfReferenceUid())) {
      return "it is on frame of reference "
          + a.frameOfReferenceUid()
          + ", "
          + other
          + " on "
          + b.frameOfReferenceUid();
    }
    if (a.rows() != b.rows() || a.columns() != b.columns()) {
      return "it has images of "
          + a.columns()
          + "×"
          + a.rows()
          + ", "
          + other
          + " of "
          + b.columns()
          + "×"
          + b.rows();
    }
    if (odd.frameCount() != reference.frameCount()) {
      return "it has " + odd.frameCount() + " slices, " + other + " " + reference.frameCount();
    }
    double[] oa = a.frames().get(0).orientation();
    double[] ob = b.frames().get(0).orientation();
    if (oa != null && ob != null && !sameOrientation(oa, ob)) {
      return "its image orientation differs from that of " + other;
    }
    Double key = PhaseGrouping.singleTemporalKey(odd);
    return phaseLike.stream()
        .filter(s -> s != odd && key.equals(PhaseGrouping.singleTemporalKey(s)))
        .findFirst()
        .map(
            twin ->
                "it has the same temporal position ("
                    + SeriesLoader.format(key)
                    + ") as series "
                    + twin.seriesNumber())
        .orElse("it does not group with " + other);
  }

  private static boolean sameOrientation(double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) {
      if (Math.abs(a[i] - b[i]) > 1e-3) {
        return false;
      }
    }
    return true;
  }

  /** How many distinct temporal positions the frames of a series carry. */
  private static int temporalKeys(DicomIndex.Series s) {
    return (int)
        s.instances().stream()
            .filter(InstanceHeader::hasPixelData)
            .flatMap(h -> h.frames().stream())
            .map(FrameHeader::temporalKey)
            .filter(Objects::nonNull)
            .distinct()
            .count();
  }

  private static PhaseSource phaseSource(DicomIndex.Series series, String label, Layout layout)
      throws BadInputException {
    List<CtSeriesWriter.SourceImage> images = new ArrayList<>();
    for (Slice s : layout.slices()) {
      InstanceHeader h = s.instance();
      if (h.sopInstanceUid().isEmpty() || h.sopClassUid().isEmpty()) {
        throw new BadInputException(
            h.file(), "has no SOP class or instance UID: a derived image could not reference it");
      }
      images.add(
          new CtSeriesWriter.SourceImage(
              h.studyInstanceUid(),
              h.seriesInstanceUid(),
              h.sopClassUid(),
              h.sopInstanceUid(),
              h.frameCount() > 1 ? s.frame().frameIndex() + 1 : 0));
    }
    AttributeList first = header(layout.slices().get(0).instance().file());
    String trigger = HeaderReader.getString(first, TagFromName.TriggerTime);
    Double triggerTimeMs = null;
    try {
      triggerTimeMs = trigger.isEmpty() ? null : Double.valueOf(trigger);
    } catch (NumberFormatException malformed) {
      // not a number: left out
    }
    return new PhaseSource(
        series.seriesInstanceUid(), series.description(), label, triggerTimeMs, images);
  }

  private static Source source(AttributeList h) {
    String sex = HeaderReader.getString(h, TagFromName.PatientSex);
    String birth = HeaderReader.getString(h, TagFromName.PatientBirthDate);
    String bodyPart = HeaderReader.getString(h, TagFromName.BodyPartExamined);
    return new Source(
        HeaderReader.getString(h, TagFromName.PatientName),
        HeaderReader.getString(h, TagFromName.PatientID),
        List.of("M", "F", "O").contains(sex) ? sex : "",
        birth.matches("\\d{8}") ? birth : "",
        HeaderReader.getString(h, TagFromName.StudyInstanceUID),
        HeaderReader.getString(h, TagFromName.StudyDescription),
        HeaderReader.getString(h, TagFromName.FrameOfReferenceUID),
        bodyPart.matches("[A-Z0-9_ ]{1,16}") ? bodyPart : "");
  }

  /** The attributes of a file before its pixel data. */
  private static AttributeList header(Path file) throws BadInputException {
    AttributeList list = new AttributeList();
    try (DicomInputStream in = HeaderReader.open(file, HeaderReader.sniff(file))) {
      list.read(in, TagFromName.PixelData);
    } catch (Exception e) {
      throw new BadInputException(file, "cannot read its header (" + DicomScanner.reason(e) + ")");
    }
    return list;
  }

  /** The prior series of the candidate's study, or null when it has none. */
  private static DicomIndex.Series priorSeries(Path path, Candidate c) throws BadInputException {
    List<DicomIndex.Series> priors =
        c.study().series().stream()
            .filter(s -> !c.phaseSeries().contains(s))
            .filter(s -> temporalKeys(s) == 0)
            .filter(s -> PRIOR_DESCRIPTION.matcher(s.description()).find())
            .toList();
    if (priors.size() > 1) {
      throw new BadInputException(
          path,
          "holds "
              + priors.size()
              + " prior series ("
              + String.join("; ", priors.stream().map(SeriesLoader::nameOf).toList())
              + "); keep one");
    }
    return priors.isEmpty() ? null : priors.get(0);
  }

  private static Volume loadPrior(
      DicomIndex.Series series,
      Volume4D phases,
      Source source,
      List<String> warnings,
      ProgressListener progress)
      throws BadInputException {
    String name = SeriesLoader.nameOf(series);
    String frame = series.instances().get(0).frameOfReferenceUid();
    if (!frame.equals(source.frameOfReferenceUid())) {
      throw new BadInputException(
          name,
          "the prior is on frame of reference "
              + (frame.isEmpty() ? "(none)" : frame)
              + ", the phases on "
              + source.frameOfReferenceUid());
    }
    LoadedSeries loaded = SeriesLoader.load(series, progress);
    if (loaded.is4D()) {
      throw new BadInputException(name, "the prior series is itself 4D");
    }
    Geometry g = loaded.volume().geometry();
    Geometry want = phases.geometry();
    if (!g.sameGrid(want, 0.05)) {
      throw new BadInputException(
          name,
          "the prior does not match the phases' geometry (prior "
              + describe(g)
              + ", phases "
              + describe(want)
              + ")");
    }
    loaded.warnings().forEach(w -> warnings.add("prior: " + w));
    return loaded.volume();
  }

  private static String describe(Geometry g) {
    double[] s = g.spacingMm();
    double[] o = g.originMm();
    return g.sizeX()
        + "×"
        + g.sizeY()
        + "×"
        + g.sizeZ()
        + " voxels of "
        + mm(s[0])
        + "×"
        + mm(s[1])
        + "×"
        + mm(s[2])
        + " mm at ("
        + mm(o[0])
        + ", "
        + mm(o[1])
        + ", "
        + mm(o[2])
        + ") mm";
  }

  /** A length in mm to 0.001 mm, without trailing zeros. */
  private static String mm(double v) {
    return new BigDecimal(v)
        .setScale(3, RoundingMode.HALF_EVEN)
        .stripTrailingZeros()
        .toPlainString();
  }

  /** The voxel-wise mean of the phases, as floats. */
  static Volume phaseAverage(Volume4D phases) {
    int n = (int) phases.geometry().voxelCount();
    float[] sum = new float[n];
    for (Volume phase : phases.phases()) {
      for (int i = 0; i < n; i++) {
        sum[i] += phase.valueAt(i);
      }
    }
    float scale = 1f / phases.phaseCount();
    for (int i = 0; i < n; i++) {
      sum[i] *= scale;
    }
    return Volume.ofFloats(phases.geometry(), phases.phases().get(0).modality(), sum);
  }
}
