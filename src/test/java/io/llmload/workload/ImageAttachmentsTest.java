package io.llmload.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmload.emulator.Emulator;
import io.llmload.emulator.EmulatorConfig;
import io.llmload.emulator.Param;
import io.llmload.wire.Protocol;
import io.llmload.wire.RequestSpec;
import io.llmload.wire.StreamCodec;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code -Dimages}: generated or file images attached to the last user message, and the bad values. */
class ImageAttachmentsTest {

  private static final Workload TEXT = new Workload() {
    @Override
    public Iterator<Map<String, Object>> feeder() {
      return java.util.stream.Stream.generate(() -> Map.<String, Object>of("prompt", "Describe this picture", "maxTokens", 4)).iterator();
    }

    @Override
    public Map<String, Object> describe() {
      return Map.of("kind", "fixed");
    }

    @Override
    public boolean forcesOutputLength() {
      return false;
    }

    @Override
    public Map<String, Object> extraBody() {
      return Map.of();
    }

    @Override
    public List<Long> arrivalOffsetsMs() {
      return List.of();
    }
  };

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> messages(Workload w) {
    return (List<Map<String, Object>>) w.feeder().next().get("messages");
  }

  @Test
  void aGeneratedImageHasTheSizeAskedForAndVariesBetweenRequests() throws Exception {
    Workload w = ImageAttachments.wrap(TEXT, Protocol.OPENAI_CHAT, "56x28", 1);
    Iterator<Map<String, Object>> it = w.feeder();
    String first = url(it.next());
    String second = url(it.next());
    assertTrue(first.startsWith("data:image/png;base64,"));
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(first.substring(first.indexOf(',') + 1))));
    assertEquals(56, img.getWidth());
    assertEquals(28, img.getHeight());
    assertTrue(!first.equals(second), "seeded variants, not one image for every request");
  }

  @SuppressWarnings("unchecked")
  private static String url(Map<String, Object> record) {
    List<Map<String, Object>> m = (List<Map<String, Object>>) record.get("messages");
    List<Map<String, Object>> parts = (List<Map<String, Object>>) m.get(0).get("content");
    assertEquals("Describe this picture", parts.get(0).get("text"));
    return (String) ((Map<String, Object>) parts.get(1).get("image_url")).get("url");
  }

  @Test
  void badValuesAreOneLine(@TempDir Path dir) throws Exception {
    var missing = assertThrows(IllegalArgumentException.class,
        () -> ImageAttachments.wrap(TEXT, Protocol.OPENAI_CHAT, dir.resolve("nope.png").toString(), 1));
    assertTrue(missing.getMessage().startsWith("images: '") && missing.getMessage().contains("cannot be read"), missing.getMessage());
    Path text = Files.writeString(dir.resolve("a.png"), "not an image");
    var notImage = assertThrows(IllegalArgumentException.class, () -> ImageAttachments.wrap(TEXT, Protocol.OPENAI_CHAT, text.toString(), 1));
    assertEquals("images: '" + text + "' is not a PNG or JPEG image", notImage.getMessage());
    var protocol = assertThrows(IllegalArgumentException.class, () -> ImageAttachments.wrap(TEXT, Protocol.TGI, "64x64", 1));
    assertTrue(protocol.getMessage().startsWith("images: protocol tgi takes no images"), protocol.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ImageAttachments.wrap(TEXT, Protocol.OPENAI_CHAT, "0x64", 1));
    Path png = dir.resolve("ok.png");
    Files.write(png, ImageAttachments.png(8, 8, new java.util.Random(1)));
    assertTrue(url(ImageAttachments.wrap(TEXT, Protocol.OPENAI_CHAT, png.toString(), 1).feeder().next()).startsWith("data:image/png;base64,"));
  }

  /** 280×280 pixels are 10×10 patches of 28: the server's prompt count grows by 100 on each protocol. */
  @ParameterizedTest
  @EnumSource(value = Protocol.class, names = {"OPENAI_CHAT", "OPENAI_RESPONSES", "ANTHROPIC_MESSAGES"})
  void theServersPromptCountIncludesTheImage(Protocol p) throws Exception {
    try (Emulator emu = Emulator.start(EmulatorConfig.defaults().with(Param.STEP_BASE_MS, 1).with(Param.PREFILL_BASE_MS, 1)
        .with(Param.PREFILL_PER_TOKEN_MS, 0))) {
      long plain = promptTokens(emu, p, null);
      long withImage = promptTokens(emu, p, messages(ImageAttachments.wrap(TEXT, p, "280x280", 1)));
      assertEquals(plain + 100, withImage, p.id());
    }
  }

  private static long promptTokens(Emulator emu, Protocol p, List<Map<String, Object>> messages) throws Exception {
    StreamCodec codec = StreamCodec.of(p, StreamCodec.MAX_TOKENS, false);
    RequestSpec spec = new RequestSpec("m", "Describe this picture", messages, 4, null, false, Map.of());
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(emu.baseUrl() + codec.path()))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(codec.body(spec)));
    for (var h : codec.headers()) r.header(h.getKey(), h.getValue());
    HttpResponse<String> resp = HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, resp.statusCode(), resp.body());
    var u = new ObjectMapper().readTree(resp.body()).get("usage");
    return u.has("prompt_tokens") ? u.get("prompt_tokens").asLong() : u.get("input_tokens").asLong();
  }
}
