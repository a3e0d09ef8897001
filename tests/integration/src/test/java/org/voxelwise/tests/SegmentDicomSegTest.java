package org.voxelwise.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxelwise.imaging.dicom.CtSeriesWriter;
import org.voxelwise.imaging.dicom.DicomScanner;
import org.voxelwise.imaging.dicom.SegmentationReader;
import org.voxelwise.imaging.nifti.NiftiReader;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.simulate.AbdominalPhantom;
import org.voxelwise.imaging.volume.LabelVolume;
import org.voxelwise.imaging.volume.Volume;

/**
 * {@code segment} with the built-in model on a simulated DICOM CT writes {@code seg.dcm}: valid for
 * dciodvfy, in the CT's study and referring to its series, and holding exactly the labels of {@code
 * labels.nii.gz} — checked independently by pydicom + nibabel (frame positions mapped through the
 * NIfTI affine) and by our {@link SegmentationReader}.
 */
class SegmentDicomSegTest {
  /**
   * Reads seg.dcm with pydicom and labels.nii.gz with nibabel; for every SEG frame, maps its
   * ImagePositionPatient (LPS) through the inverse NIfTI affine (RAS) to a slice and compares the
   * frame's decoded pixels with (labels == segment) there. Prints counts and the header as JSON.
   */
  private static final String COMPARE =
      """
      import sys, json, numpy as np, pydicom, nibabel as nib
      ds = pydicom.dcmread(sys.argv[1])
      img = nib.load(sys.argv[2])
      labels = np.asarray(img.dataobj).astype(np.uint8)
      inverse = np.linalg.inv(img.affine)
      n = int(ds.NumberOfFrames)
      frames = ds.pixel_array.reshape(n, int(ds.Rows), int(ds.Columns))
      mismatches, off_grid, seen = 0, 0, set()
      for f, groups in enumerate(ds.PerFrameFunctionalGroupsSequence):
          segment = int(groups.SegmentIdentificationSequence[0].ReferencedSegmentNumber)
          x, y, z = [float(v) for v in groups.PlanePositionSequence[0].ImagePositionPatient]
          i, j, k = (inverse @ np.array([-x, -y, z, 1.0]))[:3]
          if abs(i) > 1e-2 or abs(j) > 1e-2 or abs(k - round(k)) > 1e-2:
              off_grid += 1
              continue
          k = int(round(k))
          expected = labels[:, :, k].T == segment
          mismatches += int((frames[f].astype(bool) != expected).sum())
          seen.add((segment, k))
      present = {(int(v), k) for k in range(labels.shape[2]) for v in np.unique(labels[:, :, k]) if v}
      print(json.dumps({
          'frames': n, 'mismatches': mismatches, 'offGrid': off_grid,
          'missingFrames': len(present - seen), 'extraFrames': len(seen - present),
          'studyInstanceUid': str(ds.StudyInstanceUID), 'patientId': str(ds.PatientID),
          'frameOfReferenceUid': str(ds.FrameOfReferenceUID),
          'referencedSeries': str(ds.ReferencedSeriesSequence[0].SeriesInstanceUID),
          'segments': [[int(s.SegmentNumber), str(s.SegmentLabel), str(s.SegmentAlgorithmType),
                        str(s.SegmentAlgorithmName),
                        str(s.SegmentedPropertyTypeCodeSequence[0].CodeValue)]
                       for s in ds.SegmentSequence]}))
      """;

  @TempDir Path dir;

  @Test
  void segmentWritesASegEqualToTheNiftiLabels() throws Exception {
    Volume ct =
        AbdominalPhantom.generate(
                AbdominalPhantom.Parameters.defaults()
                    .withSize(128, 128, 40)
                    .withSpacing(new double[] {3, 3, 5}),
                10_002)
            .ct();
    Path study = dir.resolve("study");
    CtSeriesWriter.Options options = Studies.options("segment-seg", 3);
    Studies.write(ct, study, "segment-seg", 3);
    Path out = dir.resolve("out");
    Cli.ok("segment", study, "--out", out, "--device", "cpu");

    assertEquals(
        List.of(out.resolve("labels.nii.gz"), out.resolve("report.json"), out.resolve("seg.dcm")),
        Studies.files(out),
        "the three outputs, no temporary files");
    JsonObject report =
        JsonParser.parseString(Files.readString(out.resolve("report.json"))).getAsJsonObject();
    assertEquals(
        List.of("labels.nii.gz", "seg.dcm", "report.json"), strings(report.get("outputs")));
    long liverVoxels =
        report.getAsJsonArray("labels").get(0).getAsJsonObject().get("voxels").getAsLong();
    assertTrue(liverVoxels > 1000, "the built-in model finds a liver: " + report);
    String model =
        report.getAsJsonObject("model").get("id").getAsString()
            + " "
            + report.getAsJsonObject("model").get("version").getAsString();

    Path seg = out.resolve("seg.dcm");
    assertEquals(List.of(), Dciodvfy.complaints(seg, "Segmentation"), "dciodvfy");

    Cli.Result python =
        Cli.process(
            List.of(
                "/usr/bin/python3",
                "-c",
                COMPARE,
                seg.toString(),
                out.resolve("labels.nii.gz").toString()),
            dir,
            300);
    assertEquals(0, python.exitCode(), python::toString);
    JsonObject o = python.json();
    assertEquals(0, o.get("offGrid").getAsInt(), o::toString);
    assertEquals(0, o.get("mismatches").getAsInt(), o::toString);
    assertEquals(0, o.get("missingFrames").getAsInt(), o::toString);
    assertEquals(0, o.get("extraFrames").getAsInt(), o::toString);
    assertEquals(options.studyInstanceUid(), o.get("studyInstanceUid").getAsString());
    assertEquals(options.patientId(), o.get("patientId").getAsString());
    assertEquals(options.frameOfReferenceUid(), o.get("frameOfReferenceUid").getAsString());
    assertEquals(options.seriesInstanceUid(), o.get("referencedSeries").getAsString());
    assertEquals(
        "[[1,\"liver\",\"AUTOMATIC\",\""
            + model
            + "\",\"10200004\"],[2,\"tumor\",\"AUTOMATIC\",\""
            + model
            + "\",\"108369006\"]]",
        o.getAsJsonArray("segments").toString());

    // our reader, on the series found by a scan of the study, gives the NIfTI labels
    SegmentationReader.Overlay overlay =
        SegmentationReader.read(
            seg, DicomScanner.scan(study, ProgressListener.NONE), ProgressListener.NONE);
    Volume nifti = NiftiReader.read(out.resolve("labels.nii.gz"));
    LabelVolume labels = overlay.labels();
    byte[] expected = new byte[labels.values().length];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = (byte) nifti.valueAt(i);
    }
    assertArrayEquals(expected, labels.values());
  }

  private static List<String> strings(com.google.gson.JsonElement e) {
    JsonArray a = e.getAsJsonArray();
    List<String> s = new ArrayList<>();
    a.forEach(x -> s.add(x.getAsString()));
    return s;
  }
}
