package org.voxelwise.segmentation.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DjlEnvironmentTest {

  @Test
  void configureSetsOfflineNoTrackingAndCacheFolders() {
    Path cacheDir = DjlEnvironment.configure();

    assertEquals("true", System.getProperty("ai.djl.offline"));
    assertEquals("true", System.getProperty("OPT_OUT_TRACKING"));
    assertEquals(cacheDir, Path.of(effective("DJL_CACHE_DIR")));
    assertEquals(cacheDir, Path.of(effective("ENGINE_CACHE_DIR")));
  }

  @Test
  void configureIsIdempotent() {
    Path first = DjlEnvironment.configure();
    Path second = DjlEnvironment.configure();

    assertEquals(first, second);
    assertEquals("true", System.getProperty("ai.djl.offline"));
    assertEquals(first, Path.of(effective("ENGINE_CACHE_DIR")));
  }

  @Test
  void cacheDirPrefersEnvironmentThenPropertyThenHome() {
    assertEquals("/env", DjlEnvironment.cacheDir("/env", "/prop", "/home/u"));
    assertEquals("/prop", DjlEnvironment.cacheDir(null, "/prop", "/home/u"));
    assertEquals("/prop", DjlEnvironment.cacheDir(" ", "/prop", "/home/u"));
    assertEquals(
        Path.of("/home/u/.cache/voxelwise/djl").toString(),
        DjlEnvironment.cacheDir(null, "", "/home/u"));
  }

  @Test
  void anEnvironmentThatTurnsOfflineModeOffIsRefused() {
    DjlEnvironment.requireOfflineEnv(null);
    DjlEnvironment.requireOfflineEnv("true");
    DjlEnvironment.requireOfflineEnv("TRUE");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> DjlEnvironment.requireOfflineEnv("false"));
    assertTrue(e.getMessage().contains("DJL_OFFLINE=false"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> DjlEnvironment.requireOfflineEnv(""));
  }

  /** What DJL reads: the environment variable first, then the system property. */
  private static String effective(String name) {
    String env = System.getenv(name);
    String value = env != null && !env.isBlank() ? env : System.getProperty(name);
    assertNotNull(value, name);
    return value;
  }
}
