package org.voxelwise.segmentation.hdenseunet;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.voxelwise.segmentation.engine.DjlEnvironment;
import org.voxelwise.segmentation.engine.ModelFolders;

/**
 * The on-disk form of a trained {@link HDenseUNet}: a folder holding {@value #MODEL_JSON} (a {@link
 * ModelCard} as JSON) and one parameter file {@code hdenseunet-NNNN.params} written by DJL's {@code
 * Model.save(dir, "hdenseunet")} (NNNN: the training step, at most 9999).
 *
 * <p>{@link #save} replaces the folder's content as a whole (written beside it, then renamed), so a
 * reader never sees a half-written model. {@link #load(Path, Device)} and {@link #load(Path,
 * Device)} rebuild the network from the card's configuration, load the parameters and set the
 * card's stage; the model is ready for inference-mode forward passes.
 */
public final class HDenseUNetModelFiles {

  /** Name of the model card in a model folder. */
  public static final String MODEL_JSON = "model.json";

  /** Prefix of the parameter file, and the DJL model name. */
  public static final String PARAMS_PREFIX = "hdenseunet";

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  private HDenseUNetModelFiles() {}

  /**
   * A loaded model: close it to free its native memory.
   *
   * @param model the DJL model, its block {@code network}
   * @param network the network, in the card's stage
   * @param card what {@value #MODEL_JSON} said
   */
  public record Loaded(Model model, HDenseUNet network, ModelCard card) implements AutoCloseable {
    @Override
    public void close() {
      model.close();
    }
  }

  /**
   * Writes a model folder: the parameters of {@code model} and {@code card} (its {@code paramsFile}
   * set to the file written). Whatever {@code dir} held before is replaced.
   *
   * @param model a model whose block is an initialized {@link HDenseUNet} built from {@code
   *     card.config()}
   * @param card what to write to {@value #MODEL_JSON}
   * @param dir the model folder; its parent is created if missing
   * @return the card as written
   * @throws IllegalArgumentException if the model's block is not an H-DenseUNet of the card's
   *     configuration
   * @throws IOException if writing fails
   */
  public static ModelCard save(Model model, ModelCard card, Path dir) throws IOException {
    if (!(model.getBlock() instanceof HDenseUNet net) || !net.config().equals(card.config())) {
      throw new IllegalArgumentException("the model is not an H-DenseUNet of the card's config");
    }
    String written =
        ModelFolders.save(
            model,
            PARAMS_PREFIX,
            card.training().stepsDone(),
            MODEL_JSON,
            paramsFile -> toJson(card.withParamsFile(paramsFile)),
            dir);
    return card.withParamsFile(written);
  }

  /**
   * Reads a model card.
   *
   * @param dir a model folder
   * @return its card
   * @throws IOException if the file cannot be read or is not a valid card
   */
  public static ModelCard readCard(Path dir) throws IOException {
    return fromJson(Files.readString(dir.resolve(MODEL_JSON), StandardCharsets.UTF_8));
  }

  /**
   * The card as the JSON text of {@value #MODEL_JSON}.
   *
   * @param card a card
   * @return pretty-printed JSON ending in a newline
   */
  public static String toJson(ModelCard card) {
    return GSON.toJson(card) + "\n";
  }

  /**
   * Parses the JSON text of {@value #MODEL_JSON}.
   *
   * @param json the text
   * @return the card
   * @throws IOException if the text is not a valid card
   */
  public static ModelCard fromJson(String json) throws IOException {
    try {
      ModelCard card = GSON.fromJson(json, ModelCard.class);
      if (card == null) {
        throw new IOException("empty " + MODEL_JSON);
      }
      return card;
    } catch (RuntimeException e) {
      throw new IOException("invalid " + MODEL_JSON + ": " + e.getMessage(), e);
    }
  }

  /**
   * Loads a model folder written by {@link #save}.
   *
   * @param dir the model folder
   * @param device where the model runs
   * @return the model, in the card's stage; close it after use
   * @throws IOException if a file is missing, unreadable or does not fit the card
   */
  public static Loaded load(Path dir, Device device) throws IOException {
    DjlEnvironment.configure();
    ModelCard card = readCard(dir);
    Model model = Model.newInstance(PARAMS_PREFIX, device, "PyTorch");
    try {
      HDenseUNet net = new HDenseUNet(card.config());
      model.setBlock(net);
      model.load(dir, PARAMS_PREFIX);
      net.setStage(card.stage());
      return new Loaded(model, net, card);
    } catch (MalformedModelException | IOException | RuntimeException e) {
      model.close();
      throw e instanceof IOException io ? io : new IOException("cannot load " + dir + ": " + e, e);
    }
  }
}
