package org.voxelwise.segmentation.rstar;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.voxelwise.segmentation.engine.DjlEnvironment;
import org.voxelwise.segmentation.engine.ModelFolders;

/**
 * The on-disk form of a trained {@link Rstar4dNet}: a folder holding {@value #MODEL_JSON} (a {@link
 * Rstar4dModelCard} as JSON) and one parameter file {@code rstar4d-NNNN.params} written by DJL's
 * {@code Model.save(dir, "rstar4d")} (NNNN: the training step, at most 9999). Written as a whole
 * ({@link ModelFolders#save}). The built-in model lives on the class path under {@value #BUILT_IN}.
 */
public final class Rstar4dModelFiles {

  /** Name of the model card in a model folder. */
  public static final String MODEL_JSON = "model.json";

  /** Prefix of the parameter file, and the DJL model name. */
  public static final String PARAMS_PREFIX = "rstar4d";

  /** Class-path folder of the built-in streak-reduction model. */
  public static final String BUILT_IN = "models/rstar4d-cbct";

  /** Class-path folder of the built-in 3D ablation (the same net without t branches). */
  public static final String BUILT_IN_ABLATION = "models/rstar4d-ablation3d";

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  private Rstar4dModelFiles() {}

  /**
   * A loaded model: close it to free its native memory.
   *
   * @param model the DJL model, its block {@code network}
   * @param network the network, z branches switched as the card's stage says
   * @param card what {@value #MODEL_JSON} said
   * @param directory the folder it was loaded from
   */
  public record Loaded(Model model, Rstar4dNet network, Rstar4dModelCard card, Path directory)
      implements AutoCloseable {
    @Override
    public void close() {
      model.close();
    }
  }

  /**
   * Writes a model folder: the parameters of {@code model} and {@code card} (its {@code paramsFile}
   * set to the file written). Whatever {@code dir} held before is replaced.
   *
   * @param model a model whose block is an initialized {@link Rstar4dNet} built from {@code
   *     card.config()} (the z switch aside)
   * @param card what to write to {@value #MODEL_JSON}
   * @param dir the model folder; its parent is created if missing
   * @return the card as written
   * @throws IllegalArgumentException if the model's block is not an RSTAR4D-Net of the card's
   *     configuration
   * @throws IOException if writing fails
   */
  public static Rstar4dModelCard save(Model model, Rstar4dModelCard card, Path dir)
      throws IOException {
    if (!(model.getBlock() instanceof Rstar4dNet net)
        || !net.config().withZEnabled(true).equals(card.config().withZEnabled(true))) {
      throw new IllegalArgumentException("the model is not an RSTAR4D-Net of the card's config");
    }
    String written =
        ModelFolders.save(
            model,
            PARAMS_PREFIX,
            card.training().stepsDone(),
            MODEL_JSON,
            paramsFile -> GSON.toJson(card.withParamsFile(paramsFile)) + "\n",
            dir);
    return card.withParamsFile(written);
  }

  /**
   * Reads a model card.
   *
   * @param dir a model folder
   * @return its card
   * @throws IOException if the folder has no {@value #MODEL_JSON}, or it is not a valid card
   */
  public static Rstar4dModelCard readCard(Path dir) throws IOException {
    Path file = dir.resolve(MODEL_JSON);
    if (!Files.isRegularFile(file)) {
      throw new IOException(dir + ": not a model folder (no " + MODEL_JSON + ")");
    }
    try {
      Rstar4dModelCard card =
          GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), Rstar4dModelCard.class);
      if (card == null) {
        throw new IOException("empty");
      }
      return card;
    } catch (IOException | RuntimeException e) {
      throw new IOException(file + ": not a valid RSTAR4D model card (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Loads a model folder written by {@link #save}.
   *
   * @param dir the model folder
   * @param device where the model runs
   * @return the model, z branches as the card's stage says; close it after use
   * @throws IOException if a file is missing, unreadable or does not fit the card (the message
   *     names the folder)
   */
  public static Loaded load(Path dir, Device device) throws IOException {
    DjlEnvironment.configure();
    Rstar4dModelCard card = readCard(dir);
    Model model = Model.newInstance(PARAMS_PREFIX, device, "PyTorch");
    try {
      Rstar4dNet net = new Rstar4dNet(card.config());
      model.setBlock(net);
      model.load(dir, PARAMS_PREFIX);
      net.setZEnabled(card.stage().zEnabled());
      return new Loaded(model, net, card, dir);
    } catch (MalformedModelException | IOException | RuntimeException e) {
      model.close();
      throw new IOException(
          dir + ": the model's parameters cannot be loaded (" + e.getMessage() + ")", e);
    }
  }

  /**
   * The built-in model as a folder ({@link ModelFolders#builtIn}).
   *
   * @return the folder, or empty when this build ships none
   * @throws IOException when the jar cannot be read or the copy cannot be written
   */
  public static Optional<Path> builtIn() throws IOException {
    return ModelFolders.builtIn(Rstar4dModelFiles.class, BUILT_IN, MODEL_JSON);
  }

  /**
   * The built-in 3D ablation as a folder, trained with the same budget as {@link #builtIn()}: what
   * {@code evaluate destreak} compares RSTAR4D with.
   *
   * @return the folder, or empty when this build ships none
   * @throws IOException when the jar cannot be read or the copy cannot be written
   */
  public static Optional<Path> builtInAblation() throws IOException {
    return ModelFolders.builtIn(Rstar4dModelFiles.class, BUILT_IN_ABLATION, MODEL_JSON);
  }
}
