package io.llmload.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * Prompt tokens of the images in a request's messages, as a vision-language model counts them:
 * one token per 28×28-pixel patch (Qwen2-VL's merged patches), from a PNG's own width and height;
 * {@value #OTHER} for an image whose size is not read here (JPEG, a URL).
 */
final class ImageTokens {
  static final int PATCH = 28;
  static final int OTHER = 256;

  private ImageTokens() {}

  /** Σ over image parts of chat ({@code image_url}), Responses ({@code input_image}) and Anthropic ({@code image}). */
  static int of(@Nullable JsonNode messages) {
    if (messages == null || !messages.isArray()) return 0;
    int tokens = 0;
    for (JsonNode m : messages) {
      JsonNode c = m.get("content");
      if (c == null || !c.isArray()) continue;
      for (JsonNode part : c) {
        String type = part.path("type").asText("");
        switch (type) {
          case "image_url" -> tokens += ofUrl(part.path("image_url").path("url").asText(""));
          case "input_image" -> tokens += ofUrl(part.path("image_url").asText(""));
          case "image" -> tokens += ofBase64(part.path("source").path("data").asText(""));
          default -> { }
        }
      }
    }
    return tokens;
  }

  private static int ofUrl(String url) {
    int comma = url.indexOf(',');
    return url.startsWith("data:") && comma > 0 ? ofBase64(url.substring(comma + 1)) : OTHER;
  }

  private static int ofBase64(String b64) {
    if (b64.length() < 32) return OTHER;
    byte[] head;
    try {
      head = Base64.getDecoder().decode(b64.substring(0, 32)); // 24 bytes: signature and IHDR's size
    } catch (IllegalArgumentException e) {
      return OTHER;
    }
    if ((head[0] & 0xff) != 0x89 || head[1] != 'P' || head[2] != 'N' || head[3] != 'G') return OTHER;
    long w = ((head[16] & 0xffL) << 24) | ((head[17] & 0xff) << 16) | ((head[18] & 0xff) << 8) | (head[19] & 0xff);
    long h = ((head[20] & 0xffL) << 24) | ((head[21] & 0xff) << 16) | ((head[22] & 0xff) << 8) | (head[23] & 0xff);
    long t = ((w + PATCH - 1) / PATCH) * ((h + PATCH - 1) / PATCH);
    return (int) Math.min(1 << 20, Math.max(1, t));
  }
}
