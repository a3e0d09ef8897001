package org.voxelwise.segmentation.hdenseunet;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.voxelwise.imaging.BadInputException;
import org.voxelwise.segmentation.engine.DjlEnvironment;

/**
 * A saved H-DenseUNet: a folder holding {@value #METADATA_FILE} (what the model is and how to run
 * it) and the DJL parameter file {@code hdenseunet-NNNN.params} ({@code model.save(dir,
 * "hdenseunet")}).
 *
 * <p>{@value #METADATA_FILE}:
 *
 * <pre>{@code
 * {"id": "hdenseunet-liver", "version": "1.0.0",
 *  "config": {"net2d": {"growthRate": 12, "initialFilters": 32, "blockDepths": [2, 3, 4, 3],
 *                       "compression": 0.5},
 *             "net3d": {...}, "slabDepth": 8, "hffWidth": 16, "dropout": 0.3, "classes": 3},
 *  "spacingMm": [1.5, 1.5, 2.5],
 *  "thresholds": {"liver": 0.5, "tumor": 0.9}}
 * }</pre>
 *
 * <p>{@code spacingMm} and {@code thresholds} are optional (defaults {@link
 * Metadata#DEFAULT_SPACING_MM}, 0.5 and 0.9). The built-in model lives on the class path under
 * {@value #BUILT_IN}.
 */
public final class HDenseUNetModelDirectory {
  /** The metadata file of a model folder. */
  public static final String METADATA_FILE = "model.json";

  /** The name the parameter file starts with. */
  public static final String PARAMS_NAME = "hdenseunet";

  /** Class-path folder of the built-in liver/tumor model. */
  public static final String BUILT_IN = "models/hdenseunet-liver";

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  private HDenseUNetModelDirectory() {}

  /**
   * What a saved model is and how to run it.
   *
   * @param id the model's identifier, non-blank
   * @param version its version, non-blank
   * @param config the network structure
   * @param spacingMm [x, y, z] voxel spacing the model runs at, each &gt; 0 (copied)
   * @param liverThreshold probability of liver or tumor above which a voxel is liver, in (0, 1)
   * @param tumorThreshold probability of tumor above which a liver voxel is tumor, in (0, 1)
   */
  public record Metadata(
      String id,
      String version,
      HDenseUNetConfig config,
      double[] spacingMm,
      double liverThreshold,
      double tumorThreshold) {
    /** The default spacing: 1.5 × 1.5 × 2.5 mm. */
    public static final double[] DEFAULT_SPACING_MM = {1.5, 1.5, 2.5};

    /**
     * @throws IllegalArgumentException for a blank id or version, a missing config, a bad spacing
     *     or a threshold outside (0, 1)
     */
    public Metadata {
      if (id == null || id.isBlank() || version == null || version.isBlank()) {
        throw new IllegalArgumentException("a model needs an id and a version");
      }
      if (config == null) {
        throw new IllegalArgumentException("a model needs a config");
      }
      if (spacingMm == null
          || spacingMm.length != 3
          || Arrays.stream(spacingMm).anyMatch(s -> !(s > 0) || Double.isInfinite(s))) {
        throw new IllegalArgumentException(
            "spacingMm must be 3 values > 0: " + Arrays.toString(spacingMm));
      }
      spacingMm = spacingMm.clone();
      for (double t : new double[] {liverThreshold, tumorThreshold}) {
        if (!(t > 0 && t < 1)) {
          throw new IllegalArgumentException("thresholds must be in (0, 1): " + t);
        }
      }
    }

    /** Metadata with the default spacing and the paper's thresholds (liver 0.5, tumor 0.9). */
    public static Metadata withDefaults(String id, String version, HDenseUNetConfig config) {
      return new Metadata(id, version, config, DEFAULT_SPACING_MM, 0.5, 0.9);
    }

    @Override
    public double[] spacingMm() {
      return spacingMm.clone();
    }

    /** This metadata with another spacing. */
    public Metadata withSpacingMm(double[] spacing) {
      return new Metadata(id, version, config, spacing, liverThreshold, tumorThreshold);
    }
  }

  /**
   * A model loaded onto a device, with its metadata. Closing it frees the native memory.
   *
   * @param model the DJL model, its block an {@link HDenseUNet} with the saved parameters
   * @param metadata what the folder's {@value #METADATA_FILE} says
   * @param directory the folder it was loaded from
   */
  public record Loaded(Model model, Metadata metadata, Path directory) implements AutoCloseable {
    /** The network. */
    public HDenseUNet network() {
      return (HDenseUNet) model.getBlock();
    }

    @Override
    public void close() {
      model.close();
    }
  }

  /**
   * Reads {@value #METADATA_FILE} of a model folder.
   *
   * @throws BadInputException when the file is missing or malformed
   */
  public static Metadata readMetadata(Path dir) throws BadInputException {
    Path file = dir.resolve(METADATA_FILE);
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(dir, "not a model folder (no " + METADATA_FILE + ")");
    }
    try {
      return parse(JsonParser.parseString(Files.readString(file)).getAsJsonObject());
    } catch (IOException e) {
      throw new BadInputException(file, "cannot be read (" + e.getMessage() + ")", e);
    } catch (RuntimeException e) {
      throw new BadInputException(file, "malformed model metadata (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Loads a model folder onto a device: the metadata, then the parameters into a new {@link
   * HDenseUNet} in inference stage {@link HDenseUNet.Stage#END_TO_END}.
   *
   * @throws BadInputException when the folder is not a model, its parameters are missing, or they
   *     do not fit the configuration
   */
  public static Loaded load(Path dir, Device device) throws BadInputException {
    Metadata metadata = readMetadata(dir);
    DjlEnvironment.configure();
    Model model = Model.newInstance(PARAMS_NAME, device, "PyTorch");
    try {
      model.setBlock(new HDenseUNet(metadata.config()));
      model.load(dir, PARAMS_NAME);
      return new Loaded(model, metadata, dir);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      throw new BadInputException(
          dir, "the model's parameters cannot be loaded (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Saves an initialized model as a model folder: {@value #METADATA_FILE} and the parameters.
   *
   * @param model a model whose block is an initialized {@link HDenseUNet}
   * @throws IOException when the folder cannot be written
   */
  public static void save(Path dir, Model model, Metadata metadata) throws IOException {
    Files.createDirectories(dir);
    model.save(dir, PARAMS_NAME);
    Files.writeString(dir.resolve(METADATA_FILE), GSON.toJson(toJson(metadata)));
  }

  /**
   * The built-in model as a folder: the class-path folder itself when it lies on disk, or a copy in
   * a new temporary folder when it is inside a jar.
   *
   * @return the folder, or empty when the class path holds no built-in model
   * @throws IOException when the jar cannot be read or the copy cannot be written
   */
  public static Optional<Path> builtIn() throws IOException {
    URL url =
        HDenseUNetModelDirectory.class.getClassLoader().getResource(BUILT_IN + "/" + METADATA_FILE);
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
          Stream<Path> files = Files.list(jar.getPath(BUILT_IN))) {
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

  static Metadata parse(JsonObject o) {
    JsonObject c = o.getAsJsonObject("config");
    HDenseUNetConfig config =
        new HDenseUNetConfig(
            spec(c.getAsJsonObject("net2d")),
            spec(c.getAsJsonObject("net3d")),
            c.get("slabDepth").getAsInt(),
            c.get("hffWidth").getAsInt(),
            c.get("dropout").getAsFloat(),
            c.get("classes").getAsInt());
    double[] spacing = Metadata.DEFAULT_SPACING_MM;
    if (o.has("spacingMm")) {
      spacing = GSON.fromJson(o.get("spacingMm"), double[].class);
    }
    double liver = 0.5;
    double tumor = 0.9;
    if (o.has("thresholds")) {
      JsonObject t = o.getAsJsonObject("thresholds");
      liver = t.has("liver") ? t.get("liver").getAsDouble() : liver;
      tumor = t.has("tumor") ? t.get("tumor").getAsDouble() : tumor;
    }
    String id = string(o, "id");
    String version = string(o, "version");
    return new Metadata(id, version, config, spacing, liver, tumor);
  }

  private static String string(JsonObject o, String key) {
    JsonElement e = o.get(key);
    if (e == null || !e.isJsonPrimitive()) {
      throw new JsonParseException("missing \"" + key + "\"");
    }
    return e.getAsString();
  }

  private static DenseNetSpec spec(JsonObject o) {
    return new DenseNetSpec(
        o.get("growthRate").getAsInt(),
        o.get("initialFilters").getAsInt(),
        GSON.fromJson(o.get("blockDepths"), int[].class),
        o.get("compression").getAsDouble());
  }

  static JsonObject toJson(Metadata m) {
    JsonObject o = new JsonObject();
    o.addProperty("id", m.id());
    o.addProperty("version", m.version());
    JsonObject c = new JsonObject();
    HDenseUNetConfig config = m.config();
    c.add("net2d", toJson(config.net2d()));
    c.add("net3d", toJson(config.net3d()));
    c.addProperty("slabDepth", config.slabDepth());
    c.addProperty("hffWidth", config.hffWidth());
    c.addProperty("dropout", config.dropout());
    c.addProperty("classes", config.classes());
    o.add("config", c);
    o.add("spacingMm", array(m.spacingMm()));
    JsonObject t = new JsonObject();
    t.addProperty("liver", m.liverThreshold());
    t.addProperty("tumor", m.tumorThreshold());
    o.add("thresholds", t);
    return o;
  }

  private static JsonObject toJson(DenseNetSpec s) {
    JsonObject o = new JsonObject();
    o.addProperty("growthRate", s.growthRate());
    o.addProperty("initialFilters", s.initialFilters());
    JsonArray depths = new JsonArray();
    Arrays.stream(s.blockDepths()).forEach(depths::add);
    o.add("blockDepths", depths);
    o.addProperty("compression", s.compression());
    return o;
  }

  private static JsonArray array(double[] values) {
    JsonArray a = new JsonArray();
    for (double v : values) {
      a.add(v);
    }
    return a;
  }
}
