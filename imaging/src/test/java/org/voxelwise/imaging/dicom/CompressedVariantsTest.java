package org.voxelwise.imaging.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.voxelwise.imaging.dicom.Reference.loadOnly;
import static org.voxelwise.imaging.dicom.Reference.testFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.progress.ProgressListener;

/**
 * CT_small.dcm compressed losslessly by DCMTK (dcmcjpeg, dcmcrle) loads to exactly the values
 * pydicom reads from the original; JPEG-LS (dcmcjpls) is refused by name.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CompressedVariantsTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "dcmcjpeg, +e1 +un, 1.2.840.10008.1.2.4.70",
    "dcmcjpeg, +el +sv 1 +un, 1.2.840.10008.1.2.4.57",
    "dcmcjpeg, +el +sv 6 +un, 1.2.840.10008.1.2.4.57",
    "dcmcrle, +un, 1.2.840.10008.1.2.5"
  })
  void losslessVariantsEqualTheOriginal(String tool, String options, String transferSyntax)
      throws Exception {
    Path original = testFile("CT_small.dcm");
    Path variant = tmp.resolve("variant.dcm");
    List<String> command = new ArrayList<>(List.of(tool));
    command.addAll(List.of(options.split(" ")));
    command.addAll(List.of(original.toString(), variant.toString()));
    Reference.runOk(command.toArray(String[]::new));

    DicomIndex index = DicomScanner.scan(variant, ProgressListener.NONE);
    assertEquals(transferSyntax, index.allSeries().get(0).instances().get(0).transferSyntaxUid());
    Reference.Pixels ref = Reference.pixels(original, tmp);
    LoadedSeries loaded = SeriesLoader.load(index.allSeries().get(0), ProgressListener.NONE);
    Reference.assertSameValues(ref.values(), loaded.volume(), tool + " " + options);
    assertEquals(loadOnly(original).volume().geometry(), loaded.volume().geometry());
    assertTrue(loaded.warnings().isEmpty(), loaded.warnings().toString());
  }

  @Test
  void jpegLsVariantIsRefusedByName() throws Exception {
    Path variant = tmp.resolve("jls.dcm");
    Reference.runOk("dcmcjpls", testFile("CT_small.dcm").toString(), variant.toString());
    BadInputException e = assertThrows(BadInputException.class, () -> loadOnly(variant));
    assertTrue(
        e.getMessage().contains("jls.dcm: cannot decode pixel data (JPEG-LS, not supported)"),
        e.getMessage());
  }
}
