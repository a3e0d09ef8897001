package org.voxelwise.app.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecentFilesTest {
  @TempDir Path temp;

  @Test
  void newestFirstWithoutDuplicatesAtMostTenAndPersisted() throws Exception {
    Path file = temp.resolve("config").resolve("voxelwise").resolve("recent.txt");
    RecentFiles recent = new RecentFiles(file);
    assertEquals(List.of(), recent.list());
    for (int i = 0; i < 12; i++) {
      recent.add(temp.resolve("study" + i));
    }
    recent.add(temp.resolve("study5"));
    List<Path> list = new RecentFiles(file).list();
    assertEquals(RecentFiles.MAX, list.size());
    assertEquals(temp.resolve("study5"), list.get(0));
    assertEquals(temp.resolve("study11"), list.get(1));
    assertEquals(temp.resolve("study2"), list.get(9));
    assertEquals(1, list.stream().filter(p -> p.endsWith("study5")).count());
    assertEquals(
        List.of("recent.txt"),
        Files.list(file.getParent()).map(p -> p.getFileName().toString()).toList());
  }

  @Test
  void relativePathsAreStoredAbsolute() throws Exception {
    RecentFiles recent = new RecentFiles(temp.resolve("recent.txt"));
    recent.add(Path.of("some", "..", "folder"));
    assertEquals(Path.of("folder").toAbsolutePath(), recent.list().get(0));
  }

  @Test
  void anUnreadableFileIsAnEmptyList() throws Exception {
    Path dir = temp.resolve("a directory, not a file");
    Files.createDirectories(dir);
    assertEquals(List.of(), new RecentFiles(dir).list());
  }

  @Test
  void theConfigFolderCanBeOverridden() {
    String old = System.getProperty("voxelwise.config.dir");
    System.setProperty("voxelwise.config.dir", temp.toString());
    try {
      assertEquals(temp.resolve("recent.txt"), RecentFiles.inUserConfig().file());
    } finally {
      if (old == null) {
        System.clearProperty("voxelwise.config.dir");
      } else {
        System.setProperty("voxelwise.config.dir", old);
      }
    }
  }
}
