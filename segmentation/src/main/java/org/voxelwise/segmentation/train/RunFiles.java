package org.voxelwise.segmentation.train;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import com.google.gson.Gson;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;

/** The files of a training run folder that every trainer writes the same way. */
final class RunFiles {

  private RunFiles() {}

  /**
   * Opens a CSV log for appending, writing {@code header} first when the file is new.
   *
   * @throws IOException if the file cannot be opened
   */
  static Writer appendCsv(Path file, String header) throws IOException {
    boolean fresh = !Files.exists(file);
    Writer w =
        Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    if (fresh) {
      w.write(header + "\n");
    }
    return w;
  }

  /**
   * Writes {@code value} as JSON to {@code file} through a sibling temporary file, so that the file
   * is always whole.
   *
   * @throws IOException if writing fails
   */
  static void writeJson(Gson gson, Object value, Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".part");
    Files.writeString(tmp, gson.toJson(value) + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * The state a run starts from, and the run folder created: when resuming, {@code state.json}
   * (refusing a folder without it or without {@code latest/}); otherwise {@code fresh} (refusing a
   * folder that already holds a run).
   *
   * @throws IllegalStateException for a folder that does not fit {@code resume}
   * @throws IOException if the state cannot be read or the folder created
   */
  static <S> S startState(Path out, boolean resume, Gson gson, Class<S> type, Supplier<S> fresh)
      throws IOException {
    Path stateFile = out.resolve("state.json");
    S state;
    if (resume) {
      if (!Files.exists(stateFile) || !Files.exists(out.resolve("latest"))) {
        throw new IllegalStateException("nothing to resume in " + out);
      }
      state = gson.fromJson(Files.readString(stateFile), type);
    } else {
      if (Files.exists(stateFile)) {
        throw new IllegalStateException(
            out + " already holds a training run: resume it or choose another folder");
      }
      state = fresh.get();
    }
    Files.createDirectories(out);
    return state;
  }

  /**
   * Loads the parameters of {@code out/latest} into {@code model}, whose block must already be set.
   * Call it before any trainer exists: a trainer caches the parameter arrays it starts with and
   * leaves initialized parameters alone.
   *
   * @throws IOException if the parameters cannot be read or do not fit
   */
  static void loadLatest(Model model, Path out, String prefix) throws IOException {
    Path latest = out.resolve("latest");
    try {
      model.load(latest, prefix);
    } catch (MalformedModelException e) {
      throw new IOException("cannot resume from " + latest + ": " + e.getMessage(), e);
    }
  }
}
