package io.llmload.collector.apple;

import io.llmload.collector.GpuSample;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Parses the text output of {@code powermetrics --samplers gpu_power} (Apple silicon) one line at a
 * time: a sample starts at {@code *** Sampled system activity} and yields a {@link GpuSample} when the
 * next starts or on {@link #finish}. GPU % is the HW active residency; power is the first
 * {@code GPU Power} line of the sample (it can appear twice). Not thread-safe.
 */
public final class PowermetricsParser {

  private static final Pattern RESIDENCY = Pattern.compile("^GPU (?:HW )?active residency:\\s+([\\d.]+)%");
  private static final Pattern IDLE = Pattern.compile("^GPU idle residency:\\s+([\\d.]+)%");
  private static final Pattern FREQ = Pattern.compile("^GPU (?:HW )?active frequency:\\s+([\\d.]+) MHz");
  private static final Pattern POWER = Pattern.compile("^GPU Power:\\s+([\\d.]+) mW");

  private boolean inSample;
  private long sampleEpochMs;
  private @Nullable Double util;
  private @Nullable Double idle;
  private @Nullable Double freq;
  private @Nullable Double powerW;

  /** Feeds one line; returns the previous sample when this line starts a new one. */
  public @Nullable GpuSample line(String line, long receivedEpochMs) {
    String l = line.strip();
    if (l.startsWith("*** Sampled system activity")) {
      GpuSample done = finish();
      inSample = true;
      sampleEpochMs = receivedEpochMs;
      return done;
    }
    if (!inSample) {
      return null;
    }
    Matcher m;
    if (util == null && (m = RESIDENCY.matcher(l)).find()) {
      util = Double.valueOf(m.group(1));
    } else if (idle == null && (m = IDLE.matcher(l)).find()) {
      idle = Double.valueOf(m.group(1));
    } else if (freq == null && (m = FREQ.matcher(l)).find()) {
      freq = Double.valueOf(m.group(1));
    } else if (powerW == null && (m = POWER.matcher(l)).find()) {
      powerW = Double.parseDouble(m.group(1)) / 1000.0;
    }
    return null;
  }

  /** The sample in progress, if it read anything. */
  public @Nullable GpuSample finish() {
    if (!inSample || (util == null && idle == null && freq == null && powerW == null)) {
      reset();
      return null;
    }
    Double u = util != null ? util : (idle != null ? 100.0 - idle : null);
    GpuSample s = new GpuSample(sampleEpochMs, "powermetrics", 0, null, "Apple GPU", u, null, null, null, powerW,
        null, null, freq, null, null, null);
    reset();
    return s;
  }

  private void reset() {
    inSample = false;
    util = null;
    idle = null;
    freq = null;
    powerW = null;
  }
}
