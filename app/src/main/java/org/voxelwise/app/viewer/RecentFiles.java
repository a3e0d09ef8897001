package org.voxelwise.app.viewer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The most recently opened studies, newest first, at most {@value #MAX} paths, kept in a text file
 * (one absolute path per line) in the user's configuration folder: {@code
 * $XDG_CONFIG_HOME/voxelwise/recent.txt} (default {@code ~/.config/voxelwise/recent.txt}; the
 * system property {@code voxelwise.config.dir} overrides the folder). The file is replaced
 * atomically; a missing or unreadable file is an empty list. Not thread-safe.
 */
public final class RecentFiles {
  /** How many paths are kept. */
  public static final int MAX = 10;

  private final Path file;

  public RecentFiles(Path file) {
    this.file = file;
  }

  /** The list in the user's configuration folder. */
  public static RecentFiles inUserConfig() {
    String override = System.getProperty("voxelwise.config.dir");
    Path dir;
    if (override != null && !override.isBlank()) {
      dir = Path.of(override);
    } else {
      String xdg = System.getenv("XDG_CONFIG_HOME");
      Path base =
          xdg != null && !xdg.isBlank()
              ? Path.of(xdg)
              : Path.of(System.getProperty("user.home"), ".config");
      dir = base.resolve("voxelwise");
    }
    return new RecentFiles(dir.resolve("recent.txt"));
  }

  /** The file the list is kept in. */
  public Path file() {
    return file;
  }

  /** The paths, newest first (empty when the file is missing or unreadable). */
  public List<Path> list() {
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    try {
      List<Path> paths = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank() && paths.size() < MAX) {
          paths.add(Path.of(line.strip()));
        }
      }
      return List.copyOf(paths);
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  /**
   * Puts {@code path} (made absolute) first, removing an older entry of it and dropping the oldest
   * beyond {@value #MAX}.
   *
   * @throws IOException when the file cannot be written
   */
  public List<Path> add(Path path) throws IOException {
    Path absolute = path.toAbsolutePath().normalize();
    List<Path> paths = new ArrayList<>(list());
    paths.remove(absolute);
    paths.add(0, absolute);
    while (paths.size() > MAX) {
      paths.remove(paths.size() - 1);
    }
    Files.createDirectories(file.getParent());
    Path temp = Files.createTempFile(file.getParent(), "recent", ".tmp");
    try {
      StringBuilder text = new StringBuilder();
      paths.forEach(p -> text.append(p).append('\n'));
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    return List.copyOf(paths);
  }
}
