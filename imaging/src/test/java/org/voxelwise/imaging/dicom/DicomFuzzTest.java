package org.voxelwise.imaging.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.imaging.progress.ProgressListener;
import org.voxelwise.imaging.volume.Geometry;

/**
 * Feeds the importer 10,000 files mutated from real DICOM files (pydicom's test files) with a fixed
 * random seed, and checks that every one ends in a loaded volume, a {@link BadInputException}, a
 * scan warning naming the file, or being skipped as not DICOM — never another exception, and never
 * more than {@value #PER_FILE_LIMIT_S} s for one file.
 *
 * <p>Mutated files are written in batches of {@value #BATCH} to one folder, which is scanned at
 * once; every image found is then loaded on its own (as a series of one instance), two at a time.
 * Mutations: bit flips, truncation, bogus value lengths (a length field found by a light parse of
 * the seed overwritten with a huge, odd or undefined value), runs of random bytes, duplicated
 * chunks, and a combination of two or three of these. The outcome counts per mutation are printed
 * in one line at the end.
 */
class DicomFuzzTest {
  private static final Path SEEDS =
      Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
  private static final List<String> SEED_NAMES =
      List.of(
          "CT_small.dcm",
          "MR_small.dcm",
          "MR_small_implicit.dcm",
          "MR_small_bigendian.dcm",
          "MR_small_expb.dcm",
          "MR_small_RLE.dcm",
          "MR_small_jp2klossless.dcm",
          "MR_small_padded.dcm",
          "no_meta.dcm",
          "image_dfl.dcm",
          "693_J2KI.dcm",
          "JPEG2000.dcm",
          "liver_1frame.dcm",
          "rtstruct.dcm",
          "rtdose_1frame.dcm",
          "ExplVR_BigEndNoMeta.dcm",
          "ExplVR_LitEndNoMeta.dcm");
  private static final long RANDOM_SEED = 0x5EED_D1C0L;
  private static final int FILES = Integer.getInteger("voxelwise.fuzz.files", 10_000);
  private static final int BATCH = 500;
  private static final int PER_FILE_LIMIT_S = 5;
  private static final int LOAD_THREADS = 2;

  /** How a seed file is damaged. */
  enum Mutation {
    BIT_FLIPS,
    TRUNCATION,
    BOGUS_LENGTH,
    RANDOM_RUN,
    DUPLICATED_CHUNK,
    COMBINED
  }

  /** How the importer dealt with a mutated file (all acceptable). */
  enum Outcome {
    LOADED,
    REJECTED_AT_LOAD,
    SCAN_WARNING,
    NOT_DICOM
  }

  /** One mutated file and how it was made. */
  record Mutant(Path file, String seed, Mutation mutation, String detail) {
    String describe() {
      return file + " (" + seed + ", " + mutation + ": " + detail + ")";
    }
  }

  @TempDir Path temp;

  private final java.util.concurrent.atomic.AtomicLong scanNanos =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong loadNanos =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong slowestLoadNanos =
      new java.util.concurrent.atomic.AtomicLong();

  /** What went wrong, one line per file, naming the file and its mutation. */
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

  @Test
  void mutatedFilesEndInAVolumeOrAClearRejection() throws Exception {
    assumeTrue(Files.isDirectory(SEEDS), "pydicom's test files are not installed");
    Map<String, byte[]> seeds = new HashMap<>();
    Map<String, List<LengthField>> lengthFields = new HashMap<>();
    for (String name : SEED_NAMES) {
      byte[] bytes = Files.readAllBytes(SEEDS.resolve(name));
      seeds.put(name, bytes);
      lengthFields.put(name, LengthField.find(bytes));
      assertTrue(!lengthFields.get(name).isEmpty(), "no length fields found in " + name);
    }
    Random random = new Random(RANDOM_SEED);
    Map<Mutation, Map<Outcome, Integer>> counts = new EnumMap<>(Mutation.class);
    for (Mutation m : Mutation.values()) {
      counts.put(m, new EnumMap<>(Outcome.class));
    }
    long start = System.nanoTime();
    ExecutorService loaders = Executors.newFixedThreadPool(LOAD_THREADS, DicomFuzzTest::daemon);
    // PixelMed prints its complaints about corrupt files to System.err: count them instead.
    PrintStream stderr = System.err;
    LineCounter pixelMedLines = new LineCounter();
    System.setErr(new PrintStream(pixelMedLines, true, StandardCharsets.UTF_8));
    try {
      for (int batch = 0; batch * BATCH < FILES; batch++) {
        Path dir = Files.createDirectory(temp.resolve("batch" + batch));
        List<Mutant> mutants = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
          int n = batch * BATCH + i;
          String seed = SEED_NAMES.get(n % SEED_NAMES.size());
          Mutation mutation = Mutation.values()[random.nextInt(Mutation.values().length)];
          StringBuilder detail = new StringBuilder();
          byte[] bytes = mutate(seeds.get(seed), lengthFields.get(seed), mutation, random, detail);
          Path file = dir.resolve(String.format("f%05d", n));
          Files.write(file, bytes);
          mutants.add(new Mutant(file, seed, mutation, detail.toString()));
        }
        Map<Path, Outcome> outcomes = runBatch(dir, mutants, loaders);
        for (Mutant m : mutants) {
          Outcome o = outcomes.get(m.file());
          if (o != null) {
            counts.get(m.mutation()).merge(o, 1, Integer::sum);
          }
        }
        deleteFolder(dir);
      }
    } finally {
      System.setErr(stderr);
      loaders.shutdownNow();
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    System.out.println(
        "DicomFuzzTest: "
            + FILES
            + " mutated files in "
            + seconds
            + " s ("
            + pixelMedLines.lines
            + " lines PixelMed printed to stderr suppressed; scans "
            + TimeUnit.NANOSECONDS.toSeconds(scanNanos.get())
            + " s, loads "
            + TimeUnit.NANOSECONDS.toSeconds(loadNanos.get())
            + " s, slowest load "
            + TimeUnit.NANOSECONDS.toMillis(slowestLoadNanos.get())
            + " ms); "
            + counts.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining("; ")));
    if (!failures.isEmpty()) {
      fail(failures.size() + " file(s) failed:\n" + String.join("\n", failures));
    }
    int total = counts.values().stream().flatMap(m -> m.values().stream()).mapToInt(i -> i).sum();
    assertEquals(FILES, total);
  }

  /** Scans one batch folder, loads every image found, and returns each file's outcome. */
  private Map<Path, Outcome> runBatch(Path dir, List<Mutant> mutants, ExecutorService loaders)
      throws Exception {
    Map<Path, Mutant> byFile = new HashMap<>();
    mutants.forEach(m -> byFile.put(m.file(), m));
    long t0 = System.nanoTime();
    DicomIndex index = scanBatch(dir, mutants);
    long t1 = System.nanoTime();
    scanNanos.addAndGet(t1 - t0);
    Map<Path, Outcome> outcomes = new HashMap<>();
    for (String warning : index.warnings()) {
      Mutant named =
          mutants.stream()
              .filter(m -> warning.startsWith(m.file() + ": "))
              .findFirst()
              .orElse(null);
      if (named == null) {
        fail("scan warning that names no file of the batch: " + warning);
      }
      outcomes.put(named.file(), Outcome.SCAN_WARNING);
    }
    // A file may be both warned about (header partly unreadable) and indexed: its load decides.
    List<InstanceHeader> images = new ArrayList<>();
    Set<Path> indexed = new HashSet<>();
    for (DicomIndex.Series series : index.allSeries()) {
      for (InstanceHeader h : series.instances()) {
        Mutant m = byFile.get(h.file());
        if (m == null || !indexed.add(h.file())) {
          fail("indexed twice, or not a file of the batch: " + h.file());
        }
        images.add(h);
      }
    }
    for (Map.Entry<InstanceHeader, Outcome> e : loadAll(images, byFile, loaders).entrySet()) {
      outcomes.put(e.getKey().file(), e.getValue());
    }
    loadNanos.addAndGet(System.nanoTime() - t1);
    int notDicom = 0;
    for (Mutant m : mutants) {
      boolean failed = !Files.exists(m.file()) || indexed.contains(m.file());
      if (!outcomes.containsKey(m.file()) && !failed) {
        outcomes.put(m.file(), Outcome.NOT_DICOM);
        notDicom++;
      }
    }
    assertEquals(notDicom, index.nonDicomFiles(), "files neither indexed nor warned about");
    assertEquals(
        mutants.stream().filter(m -> Files.exists(m.file())).count(), index.filesExamined());
    return outcomes;
  }

  /**
   * Scans the batch folder, allowing {@value #PER_FILE_LIMIT_S} s per file. When the scan fails or
   * takes too long, scans the files one by one, records a failure for each culprit, moves the
   * culprits out of the folder and scans again.
   */
  private DicomIndex scanBatch(Path dir, List<Mutant> mutants) throws Exception {
    ExecutorService scanner = Executors.newSingleThreadExecutor(DicomFuzzTest::daemon);
    try {
      Future<DicomIndex> f = scanner.submit(() -> DicomScanner.scan(dir, ProgressListener.NONE));
      try {
        return f.get(PER_FILE_LIMIT_S * 20L, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        f.cancel(true);
      }
      Path culprits = Files.createDirectories(temp.resolve("culprits"));
      for (Mutant m : mutants) {
        Future<DicomIndex> one =
            scanner.submit(() -> DicomScanner.scan(m.file(), ProgressListener.NONE));
        try {
          one.get(PER_FILE_LIMIT_S, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException culprit) {
          one.cancel(true);
          failures.add("scanning " + m.describe() + ": " + describe(culprit));
          Files.move(m.file(), culprits.resolve(m.file().getFileName()));
        }
      }
      return DicomScanner.scan(dir, ProgressListener.NONE);
    } finally {
      scanner.shutdownNow();
    }
  }

  /**
   * Loads each image as a series of its own, {@value #LOAD_THREADS} at a time, failing when one
   * throws anything but {@link BadInputException} or runs longer than {@value #PER_FILE_LIMIT_S} s.
   */
  private Map<InstanceHeader, Outcome> loadAll(
      List<InstanceHeader> images, Map<Path, Mutant> byFile, ExecutorService loaders)
      throws Exception {
    Map<InstanceHeader, Long> running = new ConcurrentHashMap<>();
    Map<InstanceHeader, Future<Outcome>> futures = new HashMap<>();
    for (InstanceHeader h : images) {
      Callable<Outcome> task =
          () -> {
            long t = System.nanoTime();
            running.put(h, t);
            try {
              return loadOne(h);
            } finally {
              running.remove(h);
              slowestLoadNanos.accumulateAndGet(System.nanoTime() - t, Math::max);
            }
          };
      futures.put(h, loaders.submit(task));
    }
    long limit = TimeUnit.SECONDS.toNanos(PER_FILE_LIMIT_S);
    while (futures.values().stream().anyMatch(f -> !f.isDone())) {
      long now = System.nanoTime();
      for (Map.Entry<InstanceHeader, Long> r : running.entrySet()) {
        if (now - r.getValue() > limit && futures.get(r.getKey()).cancel(true)) {
          failures.add(
              "loading "
                  + byFile.get(r.getKey().file()).describe()
                  + ": took over "
                  + PER_FILE_LIMIT_S
                  + " s");
        }
      }
      Thread.sleep(20);
    }
    Map<InstanceHeader, Outcome> outcomes = new HashMap<>();
    for (Map.Entry<InstanceHeader, Future<Outcome>> e : futures.entrySet()) {
      if (e.getValue().isCancelled()) {
        continue;
      }
      try {
        outcomes.put(e.getKey(), e.getValue().get());
      } catch (ExecutionException ex) {
        failures.add(
            "loading " + byFile.get(e.getKey().file()).describe() + ": " + describe(ex.getCause()));
      }
    }
    return outcomes;
  }

  private static Outcome loadOne(InstanceHeader h) throws Exception {
    DicomIndex.Series series =
        new DicomIndex.Series(
            h.seriesInstanceUid(),
            h.studyInstanceUid(),
            h.seriesNumber(),
            h.modality(),
            h.seriesDescription(),
            List.of(h));
    long start = System.nanoTime();
    LoadedSeries loaded;
    try {
      loaded = SeriesLoader.load(series, ProgressListener.NONE);
    } catch (BadInputException rejected) {
      assertTrue(!rejected.problem().isBlank(), "a rejection without a reason");
      return Outcome.REJECTED_AT_LOAD;
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(ms <= PER_FILE_LIMIT_S * 1000L, "load took " + ms + " ms");
    Geometry g = loaded.volume().geometry();
    assertEquals((long) h.rows() * h.columns(), (long) g.sizeX() * g.sizeY());
    assertTrue(g.sizeZ() >= 1 && g.sizeZ() <= h.frameCount());
    return Outcome.LOADED;
  }

  /** Applies one mutation to a copy of {@code seed}, describing what was done in {@code detail}. */
  static byte[] mutate(
      byte[] seed,
      List<LengthField> lengthFields,
      Mutation mutation,
      Random random,
      StringBuilder detail) {
    byte[] out = seed.clone();
    if (out.length == 0) {
      detail.append("(empty, left as it is)");
      return out;
    }
    switch (mutation) {
      case COMBINED -> {
        int steps = 2 + random.nextInt(2);
        for (int i = 0; i < steps; i++) {
          Mutation m = Mutation.values()[random.nextInt(Mutation.COMBINED.ordinal())];
          // Length fields are those of the seed: only valid before the file changes shape.
          List<LengthField> fields = out.length == seed.length ? lengthFields : List.of();
          detail.append(i == 0 ? "" : " + ").append(m).append(' ');
          out = mutate(out, fields, m, random, detail);
        }
      }
      case BIT_FLIPS -> {
        int flips = 1 + random.nextInt(8);
        // Half the time within the first 1 KiB, where the header lives.
        int range = random.nextBoolean() ? Math.min(1024, out.length) : out.length;
        detail.append(flips).append(" flips at");
        for (int i = 0; i < flips; i++) {
          int pos = random.nextInt(range);
          out[pos] ^= (byte) (1 << random.nextInt(8));
          detail.append(' ').append(pos);
        }
      }
      case TRUNCATION -> {
        int length = random.nextInt(out.length);
        detail.append("cut to ").append(length).append(" bytes");
        out = java.util.Arrays.copyOf(out, length);
      }
      case BOGUS_LENGTH -> {
        if (lengthFields.isEmpty()) {
          return mutate(out, lengthFields, Mutation.RANDOM_RUN, random, detail);
        }
        LengthField field = lengthFields.get(random.nextInt(lengthFields.size()));
        long value = field.bogusValue(out, random);
        field.write(out, value);
        detail.append("length at ").append(field.offset()).append(" := 0x");
        detail.append(Long.toHexString(value));
      }
      case RANDOM_RUN -> {
        int length = 1 + random.nextInt(64);
        int pos = random.nextInt(out.length);
        int kind = random.nextInt(3);
        detail.append(length).append(kind == 0 ? " zero" : kind == 1 ? " 0xFF" : " random");
        detail.append(" bytes at ").append(pos);
        for (int i = pos; i < Math.min(out.length, pos + length); i++) {
          out[i] = kind == 0 ? 0 : kind == 1 ? (byte) 0xFF : (byte) random.nextInt(256);
        }
      }
      case DUPLICATED_CHUNK -> {
        int from = random.nextInt(out.length);
        int length = 1 + random.nextInt(Math.min(4096, out.length - from));
        int at = random.nextInt(out.length + 1);
        detail.append(length).append(" bytes from ").append(from).append(" copied to ").append(at);
        byte[] grown = new byte[out.length + length];
        System.arraycopy(out, 0, grown, 0, at);
        System.arraycopy(out, from, grown, at, length);
        System.arraycopy(out, at, grown, at + length, out.length - at);
        out = grown;
      }
    }
    return out;
  }

  /**
   * Where a data element's value length is stored in a file: {@code size} (2 or 4) bytes at {@code
   * offset}, in the given byte order.
   */
  record LengthField(int offset, int size, boolean bigEndian) {
    private static final String LONG_VRS = "OB OD OF OL OV OW SQ UC UN UR UT SV UV";
    private static final String ALL_VRS =
        "AE AS AT CS DA DS DT FL FD IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN"
            + " UR US UT UV";

    long read(byte[] b) {
      ByteBuffer buf = ByteBuffer.wrap(b).order(order());
      return size == 2
          ? Short.toUnsignedLong(buf.getShort(offset))
          : Integer.toUnsignedLong(buf.getInt(offset));
    }

    void write(byte[] b, long value) {
      ByteBuffer buf = ByteBuffer.wrap(b).order(order());
      if (size == 2) {
        buf.putShort(offset, (short) value);
      } else {
        buf.putInt(offset, (int) value);
      }
    }

    private ByteOrder order() {
      return bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    /** A huge, odd, undefined, zero, slightly-off or random value for this field. */
    long bogusValue(byte[] b, Random random) {
      long original = read(b);
      long remaining = b.length - offset - size;
      long max = size == 2 ? 0xFFFFL : 0xFFFFFFFFL;
      long[] choices = {
        max,
        max - 1,
        size == 2 ? 0x7FFF : 0x7FFFFFFFL,
        size == 2 ? 0x8000 : 0x80000000L,
        0,
        original + 1,
        Math.max(0, original - 1),
        original * 2 + 2,
        remaining + 2,
        remaining * 1000,
        random.nextLong() & max
      };
      return choices[random.nextInt(choices.length)] & max;
    }

    /**
     * The length fields of a file's data elements, found by a light parse: the meta information,
     * then the data set in the transfer syntax it names (nothing past the meta information for
     * deflated files), descending into sequences and items, skipping pixel data fragments.
     */
    static List<LengthField> find(byte[] b) {
      List<LengthField> found = new ArrayList<>();
      boolean withMeta =
          b.length > 132 && new String(b, 128, 4, StandardCharsets.US_ASCII).equals("DICM");
      int pos = withMeta ? 132 : 0;
      boolean explicit;
      boolean bigEndian;
      if (withMeta) {
        String ts = "";
        while (pos + 8 <= b.length && u16(b, pos, false) == 0x0002) {
          int element = u16(b, pos + 2, false);
          int next = parse(b, pos, true, false, found, new boolean[1]);
          if (element == 0x0010 && next > 0) {
            ts = new String(b, pos + 8, next - pos - 8, StandardCharsets.US_ASCII).trim();
            ts = ts.replace("\0", "");
          }
          if (next < 0) {
            return found;
          }
          pos = next;
        }
        if (ts.equals("1.2.840.10008.1.2.1.99")) {
          return found;
        }
        explicit = !ts.equals("1.2.840.10008.1.2");
        bigEndian = ts.equals("1.2.840.10008.1.2.2");
      } else {
        explicit = isVr(b, 4);
        bigEndian = u16(b, 0, false) != 0x0008 && u16(b, 0, true) == 0x0008;
      }
      boolean[] inFragments = new boolean[1];
      while (pos >= 0 && pos + 8 <= b.length) {
        pos = parse(b, pos, explicit, bigEndian, found, inFragments);
      }
      return found;
    }

    /** Records the length field of the element at {@code pos}; returns where to go next, or -1. */
    private static int parse(
        byte[] b,
        int pos,
        boolean explicit,
        boolean bigEndian,
        List<LengthField> found,
        boolean[] inFragments) {
      int group = u16(b, pos, bigEndian);
      int element = u16(b, pos + 2, bigEndian);
      if (group == 0xFFFE) {
        found.add(new LengthField(pos + 4, 4, bigEndian));
        long length = Integer.toUnsignedLong(u32(b, pos + 4, bigEndian));
        if (element == 0xE0DD) {
          inFragments[0] = false;
        }
        boolean skip = element == 0xE000 && inFragments[0] && length != 0xFFFFFFFFL;
        return skip ? next(b, pos + 8, length) : pos + 8;
      }
      int header;
      LengthField field;
      boolean sequence = false;
      if (explicit) {
        if (!isVr(b, pos + 4)) {
          return -1;
        }
        String vr = new String(b, pos + 4, 2, StandardCharsets.US_ASCII);
        sequence = vr.equals("SQ");
        if (LONG_VRS.contains(vr)) {
          if (pos + 12 > b.length) {
            return -1;
          }
          field = new LengthField(pos + 8, 4, bigEndian);
          header = 12;
        } else {
          field = new LengthField(pos + 6, 2, bigEndian);
          header = 8;
        }
      } else {
        field = new LengthField(pos + 4, 4, bigEndian);
        header = 8;
      }
      found.add(field);
      long length = field.read(b);
      if (field.size() == 4 && length == 0xFFFFFFFFL) {
        inFragments[0] = group == 0x7FE0 && element == 0x0010;
        return pos + header;
      }
      return sequence ? pos + header : next(b, pos + header, length);
    }

    private static int next(byte[] b, int valueStart, long length) {
      long next = valueStart + length;
      return next > b.length ? -1 : (int) next;
    }

    private static boolean isVr(byte[] b, int pos) {
      if (pos + 2 > b.length
          || b[pos] < 'A'
          || b[pos] > 'Z'
          || b[pos + 1] < 'A'
          || b[pos + 1] > 'Z') {
        return false;
      }
      return ALL_VRS.contains(new String(b, pos, 2, StandardCharsets.US_ASCII));
    }

    private static int u16(byte[] b, int pos, boolean bigEndian) {
      return bigEndian
          ? (b[pos] & 0xff) << 8 | (b[pos + 1] & 0xff)
          : (b[pos] & 0xff) | (b[pos + 1] & 0xff) << 8;
    }

    private static int u32(byte[] b, int pos, boolean bigEndian) {
      return ByteBuffer.wrap(b, pos, 4)
          .order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN)
          .getInt();
    }
  }

  private static String describe(Throwable e) {
    Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
    return cause instanceof TimeoutException
        ? "took over " + PER_FILE_LIMIT_S + " s"
        : cause.getClass().getName()
            + ": "
            + cause.getMessage()
            + (cause.getStackTrace().length > 0 ? " at " + cause.getStackTrace()[0] : "");
  }

  /** Swallows what is written to it, counting the lines. */
  private static final class LineCounter extends OutputStream {
    volatile long lines;

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        lines++;
      }
    }
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "fuzz-worker");
    t.setDaemon(true);
    return t;
  }

  private static void deleteFolder(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.delete(f);
      }
    }
    Files.delete(dir);
  }
}
