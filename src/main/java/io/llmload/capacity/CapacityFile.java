package io.llmload.capacity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.llmload.collector.runfolder.FileNames;
import io.llmload.record.RunRecorder;
import java.io.IOException;

/** Writes a search's result as {@code capacity.json} into the run folder (staging until it exists). */
public final class CapacityFile {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private CapacityFile() {}

  public static void write(RunRecorder recorder, CapacityResult r) throws IOException {
    recorder.writeFile(FileNames.CAPACITY, JSON.writeValueAsBytes(r.toMap()));
  }
}
