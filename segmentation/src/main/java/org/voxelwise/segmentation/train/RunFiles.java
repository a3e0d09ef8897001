package org.voxelwise.segmentation.train;

import com.google.gson.Gson;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

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
}
