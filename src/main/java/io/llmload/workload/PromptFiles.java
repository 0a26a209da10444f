package io.llmload.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads prompt files: JSONL lines {@code {"prompt": "...", "max_tokens": 128}} or {@code
 * {"messages": [{"role": ..., "content": ...}]}}, or CSV (RFC 4180) with a header naming {@code
 * prompt} and optionally {@code max_tokens}. Errors are one line naming the file and line.
 */
final class PromptFiles {
  private PromptFiles() {}

  static Path existing(String property, String file) {
    Path p = Path.of(file);
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw new BadWorkload(property + ": file '" + file + "' not found");
    }
    return p;
  }

  static List<PromptItem> read(String file) {
    Path p = existing("prompts", file);
    String lower = file.toLowerCase(Locale.ROOT);
    List<PromptItem> items;
    try {
      if (lower.endsWith(".jsonl")) items = jsonl(p, file);
      else if (lower.endsWith(".csv")) items = csv(p, file);
      else throw new BadWorkload("prompts: '" + file + "' is not a .jsonl or .csv file");
    } catch (CharacterCodingException e) {
      throw new BadWorkload("prompts: file '" + file + "' is not UTF-8 text");
    } catch (IOException e) {
      throw new BadWorkload("prompts: file '" + file + "' cannot be read (" + e.getMessage() + ")");
    }
    if (items.isEmpty()) throw new BadWorkload("prompts: file '" + file + "' has no prompts");
    return items;
  }

  private static List<PromptItem> jsonl(Path p, String file) throws IOException {
    List<PromptItem> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank()) continue;
        String where = "prompts: " + file + " line " + n + ": ";
        JsonNode o;
        try {
          o = ServerTokenize.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
          o = null;
        }
        if (o == null || !o.isObject() || !(o.path("prompt").isTextual() || o.path("messages").isArray())) {
          throw new BadWorkload(where + "not a JSON object with \"prompt\" or \"messages\"");
        }
        Integer max = maxTokens(o.get("max_tokens"), where);
        if (o.path("prompt").isTextual()) {
          out.add(new PromptItem(o.get("prompt").asText(), null, max));
        } else {
          List<Map<String, Object>> messages = messages(o.get("messages"), where);
          out.add(new PromptItem(lastUser(messages), messages, max));
        }
      }
    }
    return out;
  }

  private static @Nullable Integer maxTokens(@Nullable JsonNode n, String where) {
    if (n == null || n.isNull()) return null;
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1) {
      throw new BadWorkload(where + "\"max_tokens\" must be a whole number >= 1, not " + n);
    }
    return n.asInt();
  }

  /** Chat messages: a non-empty array of {role, content} with string values and a user message. */
  static List<Map<String, Object>> messages(JsonNode arr, String where) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (JsonNode m : arr) {
      if (!m.isObject() || !m.path("role").isTextual() || !m.path("content").isTextual()) {
        throw new BadWorkload(where + "each message must be {\"role\": string, \"content\": string}");
      }
      out.add(AbstractWorkload.message(m.get("role").asText(), m.get("content").asText()));
    }
    if (out.stream().noneMatch(m -> "user".equals(m.get("role")))) {
      throw new BadWorkload(where + "\"messages\" has no user message");
    }
    return List.copyOf(out);
  }

  static String lastUser(List<Map<String, Object>> messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if ("user".equals(messages.get(i).get("role"))) return (String) messages.get(i).get("content");
    }
    return "";
  }

  private static List<PromptItem> csv(Path p, String file) throws IOException {
    String text = Files.readString(p, StandardCharsets.UTF_8);
    if (text.startsWith("\uFEFF")) text = text.substring(1);
    Csv csv = new Csv(text, file);
    List<String> header = csv.row();
    if (header == null) return List.of();
    int prompt = -1;
    int max = -1;
    for (int i = 0; i < header.size(); i++) {
      String h = header.get(i).trim().toLowerCase(Locale.ROOT);
      if (h.equals("prompt")) prompt = i;
      else if (h.equals("max_tokens")) max = i;
    }
    if (prompt < 0) {
      throw new BadWorkload("prompts: " + file + " line 1: the header has no 'prompt' column");
    }
    List<PromptItem> out = new ArrayList<>();
    while (true) {
      int line = csv.line;
      List<String> row = csv.row();
      if (row == null) break;
      if (row.size() == 1 && row.get(0).isEmpty()) continue;
      String where = "prompts: " + file + " line " + line + ": ";
      if (row.size() != header.size()) {
        throw new BadWorkload(where + row.size() + " fields where the header has " + header.size());
      }
      Integer mt = null;
      if (max >= 0 && !row.get(max).isBlank()) {
        try {
          mt = Integer.parseInt(row.get(max).trim());
        } catch (NumberFormatException e) {
          mt = 0;
        }
        if (mt < 1) throw new BadWorkload(where + "max_tokens must be a whole number >= 1, not '" + row.get(max) + "'");
      }
      out.add(new PromptItem(row.get(prompt), null, mt));
    }
    return out;
  }

  /** An RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks. */
  private static final class Csv {
    private final String s;
    private final String file;
    private int pos;
    int line = 1;

    Csv(String s, String file) {
      this.s = s;
      this.file = file;
    }

    @Nullable List<String> row() {
      if (pos >= s.length()) return null;
      int startLine = line;
      List<String> fields = new ArrayList<>();
      StringBuilder f = new StringBuilder();
      boolean quoted = false;
      boolean wasQuoted = false;
      while (pos < s.length()) {
        char c = s.charAt(pos++);
        if (quoted) {
          if (c == '"') {
            if (pos < s.length() && s.charAt(pos) == '"') {
              f.append('"');
              pos++;
            } else {
              quoted = false;
            }
          } else {
            if (c == '\n') line++;
            f.append(c);
          }
        } else if (c == '"' && f.length() == 0 && !wasQuoted) {
          quoted = true;
          wasQuoted = true;
        } else if (c == ',') {
          fields.add(f.toString());
          f.setLength(0);
          wasQuoted = false;
        } else if (c == '\r' && pos < s.length() && s.charAt(pos) == '\n') {
          // CRLF: the \n ends the row
        } else if (c == '\n') {
          line++;
          fields.add(f.toString());
          return fields;
        } else if (wasQuoted) {
          throw new BadWorkload("prompts: " + file + " line " + line + ": text after a closing quote");
        } else {
          f.append(c);
        }
      }
      if (quoted) {
        throw new BadWorkload("prompts: " + file + " line " + startLine + ": a quoted field is not closed");
      }
      fields.add(f.toString());
      return fields;
    }
  }
}
