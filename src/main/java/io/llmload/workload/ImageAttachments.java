package io.llmload.workload;

import io.llmload.wire.Protocol;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Images in chat messages, for vision-language models ({@code -Dimages}): each request's last user
 * message gets one image per entry, as an OpenAI {@code image_url} part holding a {@code data:} URL
 * (the Responses and Messages codecs turn it into their own image parts). An entry is a size,
 * {@code 512x512}, for a generated PNG (seeded: a few distinct images per size, used in turn, so a
 * server's image cache is not hit on every request), or a path to a PNG or JPEG file. The prompt
 * tokens of such requests come from the server's usage: they include the images' tokens.
 */
public final class ImageAttachments implements Workload {
  /** Distinct generated images per size, used in turn. */
  static final int VARIANTS = 4;
  private static final int MAX_SIDE = 4096;

  private final Workload inner;
  private final List<List<String>> urls; // per entry, its variants
  private final String spec;

  private ImageAttachments(Workload inner, List<List<String>> urls, String spec) {
    this.inner = inner;
    this.urls = urls;
    this.spec = spec;
  }

  /**
   * @param spec comma-separated sizes ({@code WxH}) and file paths
   * @throws IllegalArgumentException one line naming {@code images}
   */
  public static Workload wrap(Workload inner, Protocol protocol, String spec, long seed) {
    if (protocol != Protocol.OPENAI_CHAT && protocol != Protocol.OPENAI_RESPONSES && protocol != Protocol.ANTHROPIC_MESSAGES) {
      throw new BadWorkload("images: protocol " + protocol.id()
          + " takes no images here; allowed: openai-chat, openai-responses, anthropic-messages");
    }
    List<List<String>> urls = new ArrayList<>();
    int n = 0;
    for (String raw : spec.split(",")) {
      String e = raw.trim();
      if (e.isEmpty()) continue;
      urls.add(e.matches("\\d+x\\d+") ? generated(e, seed + 7919L * n++) : List.of(file(e)));
    }
    if (urls.isEmpty()) {
      throw new BadWorkload("images: '" + spec + "' names no image; give sizes such as 512x512 or paths to PNG/JPEG files");
    }
    return new ImageAttachments(inner, urls, spec);
  }

  private static List<String> generated(String size, long seed) {
    String[] wh = size.split("x");
    int w = Integer.parseInt(wh[0]);
    int h = Integer.parseInt(wh[1]);
    if (w < 1 || h < 1 || w > MAX_SIDE || h > MAX_SIDE) {
      throw new BadWorkload("images: size " + size + " is out of range; allowed: 1x1 to " + MAX_SIDE + "x" + MAX_SIDE);
    }
    List<String> out = new ArrayList<>();
    for (int v = 0; v < VARIANTS; v++) {
      out.add("data:image/png;base64," + Base64.getEncoder().encodeToString(png(w, h, new Random(seed * 31 + v))));
    }
    return out;
  }

  /** Blocks of seeded colours: a picture with content, which PNG still compresses. */
  static byte[] png(int w, int h, Random r) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int block = 16;
    for (int by = 0; by < h; by += block) {
      for (int bx = 0; bx < w; bx += block) {
        int rgb = r.nextInt(0x1000000);
        for (int y = by; y < Math.min(h, by + block); y++) {
          for (int x = bx; x < Math.min(w, bx + block); x++) img.setRGB(x, y, rgb);
        }
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new IllegalStateException("PNG encoding failed", e);
    }
    return out.toByteArray();
  }

  private static String file(String path) {
    Path p = Path.of(path);
    byte[] b;
    try {
      b = Files.readAllBytes(p);
    } catch (IOException e) {
      throw new BadWorkload("images: '" + path + "' cannot be read (" + e.getClass().getSimpleName() + "); give a PNG or JPEG file or a size such as 512x512");
    }
    String type = b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G' ? "image/png"
        : b.length > 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF ? "image/jpeg" : null;
    if (type == null) {
      throw new BadWorkload("images: '" + path + "' is not a PNG or JPEG image");
    }
    return "data:" + type + ";base64," + Base64.getEncoder().encodeToString(b);
  }

  @Override
  public Iterator<Map<String, Object>> feeder() {
    Iterator<Map<String, Object>> it = inner.feeder();
    return new Iterator<>() {
      private long count;

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public Map<String, Object> next() {
        Map<String, Object> r = new LinkedHashMap<>(it.next());
        List<Map<String, Object>> messages = new ArrayList<>();
        if (r.get("messages") instanceof List<?> l && !l.isEmpty()) {
          for (Object m : l) {
            @SuppressWarnings("unchecked")
            Map<String, Object> mm = (Map<String, Object>) m;
            messages.add(mm);
          }
        } else {
          messages.add(Map.of("role", "user", "content", String.valueOf(r.get("prompt"))));
        }
        int last = messages.size() - 1;
        while (last > 0 && !"user".equals(messages.get(last).get("role"))) last--;
        Map<String, Object> user = new LinkedHashMap<>(messages.get(last));
        List<Object> parts = new ArrayList<>();
        parts.add(Map.of("type", "text", "text", String.valueOf(user.get("content"))));
        for (List<String> variants : urls) {
          String url = variants.get((int) (count % variants.size()));
          parts.add(Map.of("type", "image_url", "image_url", Map.of("url", url)));
        }
        count++;
        user.put("content", parts);
        messages.set(last, user);
        r.put("messages", messages);
        return r;
      }
    };
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> d = new LinkedHashMap<>(inner.describe());
    d.put("images", spec);
    return d;
  }

  @Override
  public boolean forcesOutputLength() {
    return inner.forcesOutputLength();
  }

  @Override
  public Map<String, Object> extraBody() {
    return inner.extraBody();
  }

  @Override
  public List<Long> arrivalOffsetsMs() {
    return inner.arrivalOffsetsMs();
  }
}
