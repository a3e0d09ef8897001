package org.voxelwise.segmentation.engine;

import ai.djl.Model;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What every model folder of this module shares: a JSON card beside one DJL parameter file {@code
 * PREFIX-NNNN.params} (NNNN: the training step, at most 9999), written as a whole (beside the
 * folder, then renamed, so a reader never sees a half-written model), and a built-in copy on the
 * class path.
 */
public final class ModelFolders {

  private ModelFolders() {}

  /**
   * Replaces {@code dir} by a folder holding the parameters of {@code model} ({@code
   * PREFIX-NNNN.params}, NNNN = {@code step} clipped to 0…9999) and the text {@code cardJson} of
   * the card (given the parameter file's name) in {@code cardFile}.
   *
   * @param model an initialized model
   * @param prefix the parameter file prefix (DJL's model name)
   * @param step the training step the parameters are from
   * @param cardFile the card's file name, e.g. {@code model.json}
   * @param cardJson makes the card's text from the parameter file's name
   * @param dir the model folder; its parent is created if missing
   * @return the parameter file's name
   * @throws IOException if writing fails
   */
  public static String save(
      Model model,
      String prefix,
      int step,
      String cardFile,
      java.util.function.Function<String, String> cardJson,
      Path dir)
      throws IOException {
    Path absolute = dir.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path tmp = absolute.resolveSibling(absolute.getFileName() + ".part");
    Path old = absolute.resolveSibling(absolute.getFileName() + ".old");
    deleteTree(tmp);
    deleteTree(old);
    Files.createDirectories(tmp);
    int epoch = Math.min(Math.max(step, 0), 9999);
    model.setProperty("Epoch", Integer.toString(epoch));
    model.save(tmp, prefix);
    String paramsFile = String.format(Locale.ROOT, "%s-%04d.params", prefix, epoch);
    Files.writeString(tmp.resolve(cardFile), cardJson.apply(paramsFile), StandardCharsets.UTF_8);
    if (Files.exists(absolute)) {
      Files.move(absolute, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE);
    deleteTree(old);
    return paramsFile;
  }

  /**
   * A class-path model folder as a folder on disk: the folder itself when it lies on disk, or a
   * copy in a new temporary folder (deleted when the JVM exits) when it is inside a jar.
   *
   * @param anchor a class whose class loader sees the folder
   * @param folder the class-path folder, e.g. {@code models/hdenseunet-liver}
   * @param cardFile the file that marks a model folder, e.g. {@code model.json}
   * @return the folder, or empty when the class path holds no such model
   * @throws IOException when the jar cannot be read or the copy cannot be written
   */
  public static Optional<Path> builtIn(Class<?> anchor, String folder, String cardFile)
      throws IOException {
    URL url = anchor.getClassLoader().getResource(folder + "/" + cardFile);
    if (url == null) {
      return Optional.empty();
    }
    try {
      URI uri = url.toURI();
      if ("file".equals(uri.getScheme())) {
        return Optional.of(Path.of(uri).getParent());
      }
      Path copy = Files.createTempDirectory("voxelwise-model");
      copy.toFile().deleteOnExit();
      try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of());
          Stream<Path> files = Files.list(jar.getPath(folder))) {
        for (Path f : files.toList()) {
          Path target = copy.resolve(f.getFileName().toString());
          try (InputStream in = Files.newInputStream(f)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
          }
          target.toFile().deleteOnExit();
        }
      }
      return Optional.of(copy);
    } catch (URISyntaxException e) {
      throw new IOException("bad class-path address of the built-in model: " + url, e);
    }
  }

  /**
   * Deletes a file or folder tree; nothing if it does not exist.
   *
   * @throws IOException if a file cannot be deleted
   */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
