package io.llmload.workload;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the ShareGPT JSON format, {@code [{"id": .., "conversations": [{"from": "human", "value":
 * ..}, {"from": "gpt", "value": ..}]}]}, one entry at a time so the 600 MB original needs no more
 * memory than the prompts it keeps. Each entry gives its first human turn as the prompt and the
 * estimated length (ceil(characters / 4)) of the first gpt turn after it as the output target, as
 * vLLM's ShareGPT benchmark does; entries without such a pair are skipped and counted.
 */
final class ShareGptFile {
  private static final Set<String> HUMAN = Set.of("human", "user");
  private static final Set<String> GPT = Set.of("gpt", "chatgpt", "assistant");

  /** The prompts kept and how many entries were skipped. */
  record Result(List<PromptItem> items, int entries, int skipped) {}

  private ShareGptFile() {}

  static Result read(String file, @Nullable Integer outputMax) {
    Path p = PromptFiles.existing("sharegpt", file);
    List<PromptItem> items = new ArrayList<>();
    int entries = 0;
    int skipped = 0;
    try (InputStream in = Files.newInputStream(p);
        JsonParser jp = ServerTokenize.MAPPER.getFactory().createParser(in)) {
      if (jp.nextToken() != JsonToken.START_ARRAY) {
        throw new BadWorkload("sharegpt: " + file + " line " + jp.currentLocation().getLineNr()
            + ": not a JSON array of {\"conversations\": [...]} entries");
      }
      while (true) {
        JsonToken t = jp.nextToken();
        if (t == JsonToken.END_ARRAY) break;
        long line = jp.currentLocation().getLineNr();
        if (t == null) throw new BadWorkload("sharegpt: " + file + " line " + line + ": the array is not closed");
        JsonNode e = jp.readValueAsTree();
        entries++;
        JsonNode conv = e == null ? null : e.get("conversations");
        if (e == null || !e.isObject() || conv == null || !conv.isArray()) {
          throw new BadWorkload("sharegpt: " + file + " line " + line
              + ": entry " + entries + " is not an object with a \"conversations\" array");
        }
        String human = null;
        String gpt = null;
        for (JsonNode turn : conv) {
          if (!turn.path("from").isTextual() || !turn.path("value").isTextual()) {
            throw new BadWorkload("sharegpt: " + file + " line " + line
                + ": entry " + entries + " has a turn that is not {\"from\": string, \"value\": string}");
          }
          String from = turn.get("from").asText();
          if (human == null && HUMAN.contains(from) && !turn.get("value").asText().isBlank()) {
            human = turn.get("value").asText();
          } else if (human != null && GPT.contains(from)) {
            gpt = turn.get("value").asText();
            break;
          }
        }
        if (human == null || gpt == null || gpt.isBlank()) {
          skipped++;
          continue;
        }
        int out = CharEstimate.INSTANCE.count(gpt, null);
        if (outputMax != null) out = Math.min(out, outputMax);
        List<Map<String, Object>> messages = List.of(AbstractWorkload.message("user", human));
        items.add(new PromptItem(human, messages, out));
      }
    } catch (JsonProcessingException e) {
      throw new BadWorkload("sharegpt: " + file + " line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr())
          + ": not valid JSON (" + e.getOriginalMessage().split("\n")[0] + ")");
    } catch (IOException e) {
      throw new BadWorkload("sharegpt: file '" + file + "' cannot be read (" + e.getMessage() + ")");
    }
    if (items.isEmpty()) {
      throw new BadWorkload("sharegpt: file '" + file + "' has no conversation with a human turn followed by a gpt turn");
    }
    return new Result(items, entries, skipped);
  }
}
