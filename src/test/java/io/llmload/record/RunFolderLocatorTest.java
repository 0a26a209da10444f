package io.llmload.record;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFolderLocatorTest {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneOffset.UTC);

  private static String folder(String sim, long epochMs) {
    return sim + "-" + STAMP.format(Instant.ofEpochMilli(epochMs));
  }

  @Test
  void picksOurFolderNotAnEarlierOrALaterRun(@TempDir Path dir) throws Exception {
    long t = 1_790_000_000_000L;
    Files.createDirectories(dir.resolve(folder("constantusers", t - 60_000))); // an old run
    RunFolderLocator loc = new RunFolderLocator(dir, "io.llmload.simulations.ConstantUsers");
    loc.armAt(t);
    assertNull(loc.find());
    Files.createDirectories(dir.resolve(folder("constantusers", t + 900))); // a run started after ours
    Files.createDirectories(dir.resolve(folder("constantusers", t + 4))); // ours
    Files.createDirectories(dir.resolve(folder("rampusers", t + 2))); // another simulation
    assertEquals(folder("constantusers", t + 4), loc.find().getFileName().toString());
  }

  @Test
  void ignoresFoldersThatExistedWhenArmed(@TempDir Path dir) throws Exception {
    long t = 1_790_000_000_000L;
    Files.createDirectories(dir.resolve(folder("constantusers", t + 10)));
    RunFolderLocator loc = new RunFolderLocator(dir, "io.llmload.simulations.ConstantUsers");
    loc.armAt(t);
    assertNull(loc.find());
  }
}
