package org.voxelwise.imaging.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.voxelwise.imaging.dicom.Reference.testFile;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.voxelwise.imaging.progress.ProgressListener;

/**
 * Scanning pydicom's DICOMDIR test set (dicomdirtests/: three patients, two of them referenced by
 * the DICOMDIR variants, TINY_ALPHA with its own DICOMDIR) against pydicom's {@code
 * patient_records}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DicomDirTest {
  private static final String DIR = "dicomdirtests/";

  /** patient id → study UID → series UID → number of images, as pydicom lists them. */
  private static Map<String, Map<String, Map<String, Integer>>> pydicomTree(Path dicomdir) {
    JsonObject json = Reference.pythonOk("dicomdir", dicomdir.toString());
    Map<String, Map<String, Map<String, Integer>>> tree = new TreeMap<>();
    for (JsonElement p : json.getAsJsonArray("patients")) {
      JsonObject patient = p.getAsJsonObject();
      Map<String, Map<String, Integer>> studies =
          tree.computeIfAbsent(patient.get("patientId").getAsString(), k -> new TreeMap<>());
      for (JsonElement s : patient.getAsJsonArray("studies")) {
        JsonObject study = s.getAsJsonObject();
        Map<String, Integer> series =
            studies.computeIfAbsent(
                study.get("studyInstanceUid").getAsString(), k -> new TreeMap<>());
        for (JsonElement se : study.getAsJsonArray("series")) {
          JsonObject one = se.getAsJsonObject();
          series.put(one.get("seriesInstanceUid").getAsString(), one.get("images").getAsInt());
        }
      }
    }
    return tree;
  }

  /** The same tree from our index. */
  private static Map<String, Map<String, Map<String, Integer>>> ourTree(DicomIndex index) {
    Map<String, Map<String, Map<String, Integer>>> tree = new TreeMap<>();
    for (DicomIndex.Patient p : index.patients()) {
      Map<String, Map<String, Integer>> studies = new TreeMap<>();
      for (DicomIndex.Study st : p.studies()) {
        studies.put(
            st.studyInstanceUid(),
            st.series().stream()
                .collect(
                    Collectors.toMap(
                        DicomIndex.Series::seriesInstanceUid,
                        s -> s.instances().size(),
                        (a, b) -> a,
                        TreeMap::new)));
      }
      tree.put(p.patientId(), studies);
    }
    return tree;
  }

  @ParameterizedTest
  @ValueSource(strings = {"DICOMDIR", "DICOMDIR-reordered", "DICOMDIR-implicit", "DICOMDIR-bigEnd"})
  void scanningADicomdirFindsWhatPydicomLists(String name) throws Exception {
    Path dicomdir = testFile(DIR + name);
    Map<String, Map<String, Map<String, Integer>>> expected = pydicomTree(dicomdir);
    assertEquals(2, expected.size(), "pydicom's patients");
    DicomIndex index = DicomScanner.scan(dicomdir, ProgressListener.NONE);
    assertEquals(expected, ourTree(index));
    assertEquals(31, index.filesExamined());
    assertEquals(0, index.nonDicomFiles());
    assertTrue(index.warnings().isEmpty(), index.warnings().toString());
  }

  /** The folder: the DICOMDIR's patients, plus TINY_ALPHA's (its own DICOMDIR), nothing lost. */
  @Test
  void scanningTheFolderFindsTheSameAndMore() throws Exception {
    Map<String, Map<String, Map<String, Integer>>> main = pydicomTree(testFile(DIR + "DICOMDIR"));
    Map<String, Map<String, Map<String, Integer>>> tiny =
        pydicomTree(testFile(DIR + "TINY_ALPHA/DICOMDIR"));
    Map<String, Map<String, Map<String, Integer>>> expected = new TreeMap<>(main);
    expected.putAll(tiny);
    DicomIndex index = DicomScanner.scan(testFile(DIR), ProgressListener.NONE);
    assertEquals(expected, ourTree(index));
    // README.txt and TINY_ALPHA/README; the 8 DICOMDIR files are DICOM but not images
    assertEquals(2, index.nonDicomFiles());
    assertEquals(31 + 50 + 8 + 2, index.filesExamined());
  }

  @Test
  void emptyDicomdirGivesAnEmptyIndexWithAWarning() throws Exception {
    Path dicomdir = testFile(DIR + "DICOMDIR-empty.dcm");
    assertTrue(pydicomTree(dicomdir).isEmpty());
    DicomIndex index = DicomScanner.scan(dicomdir, ProgressListener.NONE);
    assertTrue(index.patients().isEmpty());
    assertEquals(List.of(dicomdir + ": the DICOMDIR lists no files"), index.warnings());
  }

  /**
   * DICOMDIR-nopatient: the PATIENT records have an invalid type, so pydicom lists no patients. We
   * follow the ReferencedFileID of every record whatever its type and group the images by their own
   * headers: the same index as for the intact DICOMDIR.
   */
  @Test
  void dicomdirWithoutPatientRecordsStillFindsItsImages() throws Exception {
    assertTrue(pydicomTree(testFile(DIR + "DICOMDIR-nopatient")).isEmpty());
    DicomIndex index =
        DicomScanner.scan(testFile(DIR + "DICOMDIR-nopatient"), ProgressListener.NONE);
    assertEquals(pydicomTree(testFile(DIR + "DICOMDIR")), ourTree(index));
    assertTrue(index.warnings().isEmpty(), index.warnings().toString());
  }

  /**
   * DICOMDIR-nooffset: PixelMed stops reading at its directory record sequence (pydicom reads it).
   * The scanner says so and scans the DICOMDIR's folder instead, which holds all its images.
   */
  @Test
  void unreadableDicomdirFallsBackToItsFolder() throws Exception {
    Path dicomdir = testFile(DIR + "DICOMDIR-nooffset");
    Map<String, Map<String, Map<String, Integer>>> expected = pydicomTree(dicomdir);
    DicomIndex index = DicomScanner.scan(dicomdir, ProgressListener.NONE);
    assertEquals(1, index.warnings().size(), index.warnings().toString());
    assertTrue(index.warnings().get(0).contains("scanned its folder instead"));
    Map<String, Map<String, Map<String, Integer>>> found = ourTree(index);
    expected.forEach((patient, studies) -> assertEquals(studies, found.get(patient), patient));
  }
}
