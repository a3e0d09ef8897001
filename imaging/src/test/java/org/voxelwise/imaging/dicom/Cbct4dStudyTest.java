package org.voxelwise.imaging.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.simulate.Cbct4dSimulator;
import org.voxelwise.imaging.volume.Geometry;
import org.voxelwise.imaging.volume.Volume;
import org.voxelwise.imaging.volume.Volume4D;

/** Assembling a 4D CBCT study for destreaking from simulated studies, whole and broken. */
class Cbct4dStudyTest {
  @TempDir Path dir;

  private static Cbct4dStudy assemble(Path path) throws BadInputException {
    return Cbct4dStudy.assemble(
        path, DicomScanner.scan(path, ProgressListener.NONE), ProgressListener.NONE);
  }

  private static BadInputException refused(Path path) {
    return assertThrows(BadInputException.class, () -> assemble(path));
  }

  @Test
  void findsThePhasesAndThePriorSeriesOfASimulatedStudy() throws Exception {
    Cbct4dFixture.writeStudy(dir);
    Cbct4dStudy study = assemble(dir);
    Cbct4dSimulator.Result expected = Cbct4dFixture.simulated();

    assertEquals(10, study.phases().phaseCount());
    for (int p = 0; p < 10; p++) {
      Volume phase = study.phases().phases().get(p);
      assertTrue(phase.geometry().sameGrid(expected.phases().geometry(), 1e-4));
      assertArrayEquals(expected.phases().phases().get(p).shortValues(), phase.shortValues());
    }
    assertEquals(Cbct4dStudy.PriorSource.SERIES, study.priorSource());
    assertEquals("series", study.priorSource().key());
    assertTrue(study.priorSeries().contains("series 100 \"Prior (all projections)\""));
    assertArrayEquals(expected.prior().shortValues(), study.prior().shortValues());
    assertEquals(List.of(), study.warnings());

    AttributeList first = Cbct4dFixture.read(dir.resolve("phases/phase00/IM00001.dcm"));
    Cbct4dStudy.Source source = study.source();
    assertEquals("Voxelwise^Cbct4dPhantom", source.patientName());
    assertEquals("VW-CBCT4D-3", source.patientId());
    assertEquals("O", source.patientSex());
    assertEquals("CHEST", source.bodyPartExamined());
    assertEquals(
        Attribute.getSingleStringValueOrEmptyString(first, TagFromName.FrameOfReferenceUID),
        source.frameOfReferenceUid());
    assertEquals(
        Attribute.getSingleStringValueOrEmptyString(first, TagFromName.StudyInstanceUID),
        source.studyInstanceUid());
    assertSourcesAreTheFilesOfEachSlice(study, dir.resolve("phases"));
  }

  /**
   * Every phase source names, for slice z, the file whose position is slice z of the phase's
   * geometry and whose temporal position is the phase's.
   */
  private static void assertSourcesAreTheFilesOfEachSlice(Cbct4dStudy study, Path folder)
      throws Exception {
    Map<String, AttributeList> byInstance = new HashMap<>();
    for (Path f : Cbct4dFixture.files(folder)) {
      AttributeList list = Cbct4dFixture.read(f);
      byInstance.put(
          Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPInstanceUID), list);
    }
    Geometry g = study.phases().geometry();
    assertEquals(10, study.phaseSources().size());
    for (int p = 0; p < 10; p++) {
      Cbct4dStudy.PhaseSource ps = study.phaseSources().get(p);
      assertEquals("phase " + (p + 1), ps.label());
      assertNull(ps.triggerTimeMs());
      assertEquals(g.sizeZ(), ps.images().size());
      for (int z = 0; z < g.sizeZ(); z++) {
        CtSeriesWriter.SourceImage image = ps.images().get(z);
        AttributeList list = byInstance.get(image.sopInstanceUid());
        assertTrue(list != null, "phase " + p + " slice " + z + " names no written file");
        assertEquals(
            Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPClassUID),
            image.sopClassUid());
        assertEquals(
            Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SeriesInstanceUID),
            image.seriesInstanceUid());
        assertEquals(0, image.frameNumber());
        assertArrayEquals(
            g.voxelToPatient(0, 0, z),
            Attribute.getDoubleValues(list, TagFromName.ImagePositionPatient),
            1e-6);
        assertEquals(
            p + 1,
            Attribute.getSingleIntegerValueOrDefault(list, TagFromName.TemporalPositionIndex, 0));
      }
    }
  }

  @Test
  void withoutAPriorSeriesThePriorIsThePhaseAverage() throws Exception {
    Cbct4dFixture.writePhases(Cbct4dFixture.simulated().phases(), dir);
    Cbct4dStudy study = assemble(dir);
    assertEquals(Cbct4dStudy.PriorSource.PHASE_AVERAGE, study.priorSource());
    assertEquals("phase-average", study.priorSource().key());
    assertNull(study.priorSeries());
    Volume4D phases = Cbct4dFixture.simulated().phases();
    Volume prior = study.prior();
    for (int i = 0; i < phases.geometry().voxelCount(); i += 7) {
      double sum = 0;
      for (Volume v : phases.phases()) {
        sum += v.valueAt(i);
      }
      assertEquals(sum / 10, prior.valueAt(i), 1e-3);
    }
    assertEquals(1, study.warnings().size(), study.warnings()::toString);
    assertTrue(study.warnings().get(0).contains("the prior is the average of the 10 phases"));
  }

  @Test
  void aSingleSeriesHoldingAllPhasesIsOne4dStudy() throws Exception {
    Cbct4dFixture.writeStudy(dir);
    Cbct4dFixture.setSeriesUid(dir.resolve("phases"), "1.2.3.4.5");
    Cbct4dStudy study = assemble(dir);
    assertEquals(10, study.phases().phaseCount());
    assertEquals(Cbct4dStudy.PriorSource.SERIES, study.priorSource());
    for (int p = 0; p < 10; p++) {
      assertArrayEquals(
          Cbct4dFixture.simulated().phases().phases().get(p).shortValues(),
          study.phases().phases().get(p).shortValues());
      assertEquals("1.2.3.4.5", study.phaseSources().get(p).seriesInstanceUid());
    }
    assertSourcesAreTheFilesOfEachSlice(study, dir.resolve("phases"));
  }

  @Test
  void aSingle3dVolumeIsRefused() throws Exception {
    Cbct4dFixture.writePrior(Cbct4dFixture.simulated().prior(), dir);
    BadInputException e = refused(dir);
    assertTrue(e.getMessage().contains(dir.resolve("prior").toString()), e::getMessage);
    assertTrue(
        e.problem().startsWith("a single 3D volume (64×64×4), not a 4D study"), e::getMessage);
  }

  @Test
  void fewerThanThreePhasesAreRefused() throws Exception {
    Cbct4dFixture.writePhases(Cbct4dFixture.firstPhases(2), dir);
    Cbct4dFixture.writePrior(Cbct4dFixture.simulated().prior(), dir);
    BadInputException e = refused(dir);
    assertTrue(e.getMessage().contains(dir.resolve("phases/phase00").toString()), e::getMessage);
    assertTrue(
        e.problem().startsWith("only 2 phases; destreaking needs at least 3"), e::getMessage);
  }

  @Test
  void aPhaseWithAnotherSliceCountIsRefused() throws Exception {
    Cbct4dFixture.writeStudy(dir);
    Volume phase3 = Cbct4dFixture.simulated().phases().phases().get(3);
    Geometry shorter = phase3.geometry().withSizeZ(3);
    short[] values = java.util.Arrays.copyOf(phase3.shortValues(), (int) shorter.voxelCount());
    Path folder = dir.resolve("phases/phase03");
    for (Path f : Cbct4dFixture.files(folder)) {
      Files.delete(f);
    }
    CtSeriesWriter.write(
        Volume.ofShorts(shorter, "CT", values),
        folder,
        Cbct4dFixture.options().toBuilder()
            .seriesNumber(4)
            .seriesDescription("4D CBCT 30%")
            .temporalPosition(new CtSeriesWriter.TemporalPosition(4, 10, null))
            .build(),
        ProgressListener.NONE);
    BadInputException e = refused(dir);
    assertEquals(
        folder
            + " series 4 \"4D CBCT 30%\": phases of different geometry: it has 3 slices,"
            + " series 1 4",
        e.getMessage());
  }

  @Test
  void aPhaseOnAnotherGridIsRefused() throws Exception {
    Cbct4dFixture.writeStudy(dir);
    Volume phase5 = Cbct4dFixture.simulated().phases().phases().get(5);
    Geometry g = phase5.geometry();
    Geometry moved =
        Geometry.axisAligned(
            g.sizeX(), g.sizeY(), g.sizeZ(), g.spacingMm(), new double[] {0, 0, 10});
    CtSeriesWriter.write(
        Volume.ofShorts(moved, "CT", phase5.shortValues()),
        dir.resolve("phases/phase05"),
        Cbct4dFixture.options().toBuilder()
            .seriesNumber(6)
            .seriesDescription("4D CBCT 50%")
            .temporalPosition(new CtSeriesWriter.TemporalPosition(6, 10, null))
            .build(),
        ProgressListener.NONE);
    BadInputException e = refused(dir);
    assertTrue(
        e.getMessage().startsWith(dir.resolve("phases/phase05") + " series 6"), e::getMessage);
    assertTrue(e.problem().contains("does not lie on the grid of the first phase"), e::getMessage);
  }

  @Test
  void aPriorOfAnotherGeometryIsRefused() throws Exception {
    Cbct4dFixture.writePhases(Cbct4dFixture.simulated().phases(), dir);
    Volume prior = Cbct4dFixture.simulated().prior();
    Geometry g = prior.geometry();
    Geometry coarse =
        Geometry.axisAligned(
            g.sizeX(), g.sizeY(), g.sizeZ(), new double[] {5, 5, 40}, g.originMm());
    Cbct4dFixture.writePrior(Volume.ofShorts(coarse, "CT", prior.shortValues()), dir);
    BadInputException e = refused(dir);
    assertTrue(
        e.getMessage().startsWith(dir.resolve("prior") + " series 100 \"Prior (all projections)\""),
        e::getMessage);
    assertTrue(
        e.problem()
            .startsWith(
                "the prior does not match the phases' geometry (prior 64×64×4 voxels of 5×5×40 mm"),
        e::getMessage);
  }

  @Test
  void twoPriorSeriesAreRefused() throws Exception {
    Cbct4dFixture.writeStudy(dir);
    CtSeriesWriter.write(
        Cbct4dFixture.simulated().prior(),
        dir.resolve("prior2"),
        Cbct4dFixture.options().toBuilder()
            .seriesNumber(101)
            .seriesDescription("prior, smoothed")
            .build(),
        ProgressListener.NONE);
    BadInputException e = refused(dir);
    assertTrue(e.problem().startsWith("holds 2 prior series"), e::getMessage);
  }
}
