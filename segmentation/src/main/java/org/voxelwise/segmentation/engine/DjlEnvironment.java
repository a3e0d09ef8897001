package org.voxelwise.segmentation.engine;

import java.nio.file.Path;

/**
 * Configures DJL so that it never reaches the network: offline mode, no usage tracking, and a
 * persistent cache folder for the PyTorch natives that the native jar on the class path extracts.
 *
 * <p>DJL reads its settings from the environment first and from system properties second, once,
 * when it is first used. {@link #configure()} must therefore run before any other DJL call in the
 * process; every entry point of this module calls it first. It only sets system properties: a
 * setting already made in the environment wins, as DJL's own rule says, except that an environment
 * that turns offline mode off is refused.
 */
public final class DjlEnvironment {

  /** System property that turns DJL's offline mode on (no model or native downloads). */
  public static final String OFFLINE_PROPERTY = "ai.djl.offline";

  /** Environment variable that DJL reads for offline mode before {@link #OFFLINE_PROPERTY}. */
  public static final String OFFLINE_ENV = "DJL_OFFLINE";

  /** Environment variable or system property that turns DJL's usage tracking off. */
  public static final String OPT_OUT_TRACKING = "OPT_OUT_TRACKING";

  /** Environment variable or system property naming DJL's cache folder. */
  public static final String CACHE_DIR = "DJL_CACHE_DIR";

  /** Environment variable or system property naming the folder where engine natives go. */
  public static final String ENGINE_CACHE_DIR = "ENGINE_CACHE_DIR";

  private DjlEnvironment() {}

  /**
   * Sets {@value #OFFLINE_PROPERTY} and {@value #OPT_OUT_TRACKING} to {@code true}, and {@value
   * #CACHE_DIR} and {@value #ENGINE_CACHE_DIR} to {@code ~/.cache/voxelwise/djl} where neither the
   * environment nor a system property names them yet. Safe to call any number of times, from any
   * thread.
   *
   * @return the cache folder DJL will use
   * @throws IllegalStateException if the environment variable {@value #OFFLINE_ENV} is set to
   *     anything but {@code true}, which would let DJL download at run time
   */
  public static synchronized Path configure() {
    requireOfflineEnv(System.getenv(OFFLINE_ENV));
    System.setProperty(OFFLINE_PROPERTY, "true");
    System.setProperty(OPT_OUT_TRACKING, "true");
    String cacheDir =
        cacheDir(
            System.getenv(CACHE_DIR),
            System.getProperty(CACHE_DIR),
            System.getProperty("user.home"));
    setUnlessPresent(CACHE_DIR, cacheDir);
    setUnlessPresent(ENGINE_CACHE_DIR, cacheDir);
    return Path.of(cacheDir);
  }

  /**
   * Refuses an {@value #OFFLINE_ENV} environment value that turns offline mode off; DJL would read
   * it before the system property.
   */
  static void requireOfflineEnv(String offlineEnv) {
    if (offlineEnv != null && !Boolean.parseBoolean(offlineEnv)) {
      throw new IllegalStateException(
          "the environment sets "
              + OFFLINE_ENV
              + "="
              + offlineEnv
              + ", which lets DJL download at run time; unset it or set it to true");
    }
  }

  /**
   * The cache folder DJL will use: the environment's, else the system property's, else {@code
   * .cache/voxelwise/djl} under the user's home.
   */
  static String cacheDir(String envValue, String propertyValue, String userHome) {
    if (envValue != null && !envValue.isBlank()) {
      return envValue;
    }
    if (propertyValue != null && !propertyValue.isBlank()) {
      return propertyValue;
    }
    return Path.of(userHome, ".cache", "voxelwise", "djl").toString();
  }

  private static void setUnlessPresent(String name, String value) {
    String env = System.getenv(name);
    String property = System.getProperty(name);
    if ((env == null || env.isBlank()) && (property == null || property.isBlank())) {
      System.setProperty(name, value);
    }
  }
}
