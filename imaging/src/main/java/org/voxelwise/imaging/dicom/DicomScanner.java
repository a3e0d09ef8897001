package org.voxelwise.imaging.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.progress.ProgressListener;

/**
 * Finds the DICOM images under a path and indexes them by patient, study and series, reading
 * headers only (never pixel data).
 *
 * <p>The path may be a folder (searched recursively; any file names, with or without extension), a
 * DICOMDIR (its referenced files are read) or a single file. Files that are not DICOM are skipped
 * and counted; DICOM files that cannot be read are skipped with a warning naming the file. Headers
 * are read in parallel on all cores.
 */
public final class DicomScanner {
  private DicomScanner() {}

  /**
   * @throws BadInputException when the path does not exist or cannot be listed
   * @throws org.voxelwise.imaging.progress.OperationCancelledException when cancelled
   */
  public static DicomIndex scan(Path path, ProgressListener progress) throws BadInputException {
    if (!Files.exists(path)) {
      throw new BadInputException(path, "does not exist");
    }
    List<String> warnings = new ArrayList<>();
    List<Path> files = Files.isDirectory(path) ? listFiles(path) : filesOf(path, warnings);
    ConcurrentLinkedQueue<InstanceHeader> headers = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> fileWarnings = new ConcurrentLinkedQueue<>();
    AtomicInteger nonDicom = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    ForkJoinPool pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
    try {
      pool.submit(
              () ->
                  files.parallelStream()
                      .forEach(
                          file -> {
                            progress.checkCancelled();
                            classify(file, headers, fileWarnings, nonDicom);
                            int n = done.incrementAndGet();
                            if (n % 16 == 0 || n == files.size()) {
                              progress.update(
                                  (double) n / files.size(),
                                  "Reading headers " + n + "/" + files.size());
                            }
                          }))
          .join();
    } finally {
      pool.shutdown();
    }
    warnings.addAll(fileWarnings.stream().sorted().toList());
    return new DicomIndex(group(headers), files.size(), nonDicom.get(), warnings);
  }

  private static List<Path> listFiles(Path dir) throws BadInputException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException | UncheckedIOException e) {
      throw new BadInputException(dir, "cannot list the folder (" + e.getMessage() + ")", e);
    }
  }

  /**
   * A single file, or the files a DICOMDIR refers to. A DICOMDIR whose directory records cannot be
   * read (PixelMed gives up on some malformed ones) is replaced by a scan of its folder, with a
   * warning.
   */
  private static List<Path> filesOf(Path file, List<String> warnings) throws BadInputException {
    Path base = file.toAbsolutePath().getParent();
    AttributeList dir;
    try {
      dir = readDicomDir(file);
    } catch (IOException | DicomException | RuntimeException e) {
      if (!file.getFileName().toString().equalsIgnoreCase("DICOMDIR")) {
        return List.of(file); // not a readable DICOMDIR: classify says what it is
      }
      warnings.add(
          file + ": cannot read this DICOMDIR (" + reason(e) + "); scanned its folder instead");
      return listFiles(base);
    }
    if (dir == null) {
      return List.of(file);
    }
    if (!(dir.get(TagFromName.DirectoryRecordSequence) instanceof SequenceAttribute records)) {
      warnings.add(
          file + ": the DICOMDIR's directory records are unreadable; scanned its folder instead");
      return listFiles(base);
    }
    Set<Path> referenced = new LinkedHashSet<>();
    int missing = 0;
    for (SequenceItem item : (Iterable<SequenceItem>) records::iterator) {
      String[] parts =
          Attribute.getStringValues(item.getAttributeList(), TagFromName.ReferencedFileID);
      if (parts == null || parts.length == 0) {
        continue;
      }
      Path p = base;
      for (String part : parts) {
        p = p.resolve(part.trim());
      }
      if (Files.isRegularFile(p)) {
        referenced.add(p);
      } else {
        warnings.add(file + ": refers to " + p + ", which does not exist");
        missing++;
      }
    }
    if (referenced.isEmpty() && missing == 0) {
      warnings.add(file + ": the DICOMDIR lists no files");
    }
    return List.copyOf(referenced);
  }

  /** The attribute list of a DICOMDIR file, or null when the file is something else. */
  private static AttributeList readDicomDir(Path file) throws IOException, DicomException {
    HeaderReader.Encoding enc = HeaderReader.sniff(file);
    if (enc != HeaderReader.Encoding.WITH_META) {
      return null;
    }
    AttributeList list = new AttributeList();
    try (DicomInputStream in = HeaderReader.open(file, enc)) {
      list.read(in, TagFromName.PixelData); // a DICOMDIR has none; an image's is not needed here
    }
    String sopClass = HeaderReader.getString(list, TagFromName.MediaStorageSOPClassUID);
    return HeaderReader.DICOMDIR_SOP_CLASS.equals(sopClass) ? list : null;
  }

  private static void classify(
      Path file,
      ConcurrentLinkedQueue<InstanceHeader> headers,
      ConcurrentLinkedQueue<String> warnings,
      AtomicInteger nonDicom) {
    HeaderReader.Encoding enc;
    try {
      enc = HeaderReader.sniff(file);
    } catch (IOException e) {
      warnings.add(file + ": cannot be read (" + e.getMessage() + ")");
      return;
    }
    if (enc == HeaderReader.Encoding.NOT_DICOM) {
      nonDicom.incrementAndGet();
      return;
    }
    AttributeList list = new AttributeList();
    long tagEnd;
    try (DicomInputStream in = HeaderReader.open(file, enc)) {
      tagEnd = list.read(in, TagFromName.PixelData);
    } catch (Exception | StackOverflowError | OutOfMemoryError e) {
      warnings.add(file + ": corrupt or truncated DICOM header, skipped (" + reason(e) + ")");
      return;
    }
    String sopClass = HeaderReader.getString(list, TagFromName.MediaStorageSOPClassUID);
    if (HeaderReader.DICOMDIR_SOP_CLASS.equals(sopClass)
        || list.get(TagFromName.DirectoryRecordSequence) != null) {
      return; // a DICOMDIR: its images are in the same tree
    }
    if (HeaderReader.getString(list, TagFromName.SeriesInstanceUID).isEmpty()
        && HeaderReader.getString(list, TagFromName.SOPInstanceUID).isEmpty()) {
      warnings.add(file + ": DICOM without SOP instance or series UID, skipped");
      return;
    }
    String ts = HeaderReader.transferSyntaxOf(enc, list);
    long length = file.toFile().length();
    boolean stoppedAtPixelData;
    if (HeaderReader.DEFLATED_LE.equals(ts)) {
      // offsets count inflated bytes: trust the header to say whether there is an image
      stoppedAtPixelData =
          tagEnd < length
              && HeaderReader.getInt(list, TagFromName.Rows, 0) > 0
              && HeaderReader.getInt(list, TagFromName.Columns, 0) > 0;
    } else {
      try {
        stoppedAtPixelData = tagEnd < length && HeaderReader.pixelDataTagBefore(file, tagEnd);
      } catch (IOException e) {
        warnings.add(file + ": cannot be read (" + e.getMessage() + ")");
        return;
      }
      if (!stoppedAtPixelData && tagEnd < length) {
        // PixelMed stops quietly at a truncated or malformed element
        warnings.add(
            file
                + ": DICOM header unreadable after byte "
                + tagEnd
                + " of "
                + length
                + " (truncated or corrupt); only the part before is used");
      }
    }
    boolean hasPixelData = list.get(TagFromName.PixelData) != null || stoppedAtPixelData;
    try {
      headers.add(HeaderReader.toHeader(file, list, ts, hasPixelData ? tagEnd : -1));
    } catch (RuntimeException e) {
      warnings.add(file + ": malformed DICOM header, skipped (" + reason(e) + ")");
    }
  }

  static String reason(Throwable e) {
    if (e instanceof StackOverflowError) {
      return "nesting too deep";
    }
    if (e instanceof OutOfMemoryError) {
      return "a value length larger than memory";
    }
    String m = e.getMessage();
    return m == null || m.isBlank()
        ? e.getClass().getSimpleName()
        : m.strip().lines().findFirst().orElse(m);
  }

  private static List<DicomIndex.Patient> group(Iterable<InstanceHeader> headers) {
    Map<String, Map<String, Map<String, List<InstanceHeader>>>> tree = new TreeMap<>();
    for (InstanceHeader h : headers) {
      tree.computeIfAbsent(h.patientId(), k -> new TreeMap<>())
          .computeIfAbsent(h.studyInstanceUid(), k -> new TreeMap<>())
          .computeIfAbsent(h.seriesInstanceUid(), k -> new ArrayList<>())
          .add(h);
    }
    List<DicomIndex.Patient> patients = new ArrayList<>();
    tree.forEach(
        (patientId, studies) -> {
          List<DicomIndex.Study> studyList = new ArrayList<>();
          String[] patientName = {""};
          studies.forEach(
              (studyUid, seriesMap) -> {
                List<DicomIndex.Series> seriesList = new ArrayList<>();
                InstanceHeader[] anyOfStudy = {null};
                seriesMap.forEach(
                    (seriesUid, instances) -> {
                      instances.sort(Comparator.comparing(InstanceHeader::file));
                      InstanceHeader first = instances.get(0);
                      anyOfStudy[0] = first;
                      seriesList.add(
                          new DicomIndex.Series(
                              seriesUid,
                              studyUid,
                              first.seriesNumber(),
                              first.modality(),
                              first.seriesDescription(),
                              instances));
                    });
                seriesList.sort(
                    Comparator.comparingInt(DicomIndex.Series::seriesNumber)
                        .thenComparing(DicomIndex.Series::seriesInstanceUid));
                patientName[0] = anyOfStudy[0].patientName();
                studyList.add(
                    new DicomIndex.Study(
                        studyUid,
                        anyOfStudy[0].studyDescription(),
                        anyOfStudy[0].studyDate(),
                        seriesList));
              });
          studyList.sort(
              Comparator.comparing(DicomIndex.Study::date)
                  .thenComparing(DicomIndex.Study::studyInstanceUid));
          patients.add(new DicomIndex.Patient(patientId, patientName[0], studyList));
        });
    return patients;
  }
}
