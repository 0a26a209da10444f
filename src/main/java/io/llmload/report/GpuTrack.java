package io.llmload.report;

import io.llmload.collector.runfolder.SummaryJson.Gpu;
import io.llmload.collector.EnergyMath;
import java.util.Arrays;

/**
 * One GPU's samples for one phase window: those inside it plus the nearest one on each side, so
 * that the energy counter (or power) can be interpolated at the window's edges (EnergyMath, the
 * collector's one energy computation). Counter and power keep separate series because NVML's
 * energy thread and power thread write separate rows.
 */
final class GpuTrack {
  final long fromUs;
  final long toUs;
  final Series counter = new Series();
  final Series power = new Series();
  double powerSum, powerMax = Double.NEGATIVE_INFINITY;
  long powerN;
  double utilSum, utilMax = Double.NEGATIVE_INFINITY;
  long utilN;
  double smSum, smMax = Double.NEGATIVE_INFINITY;
  long smN;
  double memUsedMax = Double.NEGATIVE_INFINITY, memTotal = Double.NaN;
  double tempMax = Double.NEGATIVE_INFINITY, powerLimit = Double.NaN;

  GpuTrack(long fromUs, long toUs) {
    this.fromUs = fromUs;
    this.toUs = toUs;
  }

  /** Samples in time order: the last one before the window, those in it, the first one after. */
  static final class Series {
    double[] tMs = new double[16];
    double[] v = new double[16];
    int n;
    boolean closed;

    void offer(long us, double value, long fromUs, long toUs) {
      if (Double.isNaN(value) || closed) return;
      if (us < fromUs) {
        // Only the latest sample before the window is kept.
        n = 0;
      } else if (us > toUs) {
        closed = true;
      }
      if (n == tMs.length) {
        tMs = Arrays.copyOf(tMs, n * 2);
        v = Arrays.copyOf(v, n * 2);
      }
      tMs[n] = us / 1000.0;
      v[n++] = value;
    }

    /** Whether the samples reach both edges of the window (else the figure covers less than it). */
    boolean spans(long fromUs, long toUs) {
      return n >= 2 && tMs[0] * 1000 <= fromUs + 1 && tMs[n - 1] * 1000 >= toUs - 1; // 1 µs: ms as doubles
    }
  }

  void sample(long us, double energyMj, double powerW, double utilPct, double smMhz, double memUsedMib,
      double memTotalMib, double tempC, double powerLimitW) {
    counter.offer(us, energyMj, fromUs, toUs);
    power.offer(us, powerW, fromUs, toUs);
    if (us < fromUs || us > toUs) return;
    if (!Double.isNaN(powerW)) {
      powerSum += powerW;
      powerN++;
      powerMax = Math.max(powerMax, powerW);
    }
    if (!Double.isNaN(utilPct)) {
      utilSum += utilPct;
      utilN++;
      utilMax = Math.max(utilMax, utilPct);
    }
    if (!Double.isNaN(smMhz)) {
      smSum += smMhz;
      smN++;
      smMax = Math.max(smMax, smMhz);
    }
    if (!Double.isNaN(memUsedMib)) memUsedMax = Math.max(memUsedMax, memUsedMib);
    if (!Double.isNaN(memTotalMib)) memTotal = memTotalMib;
    if (!Double.isNaN(tempC)) tempMax = Math.max(tempMax, tempC);
    if (!Double.isNaN(powerLimitW)) powerLimit = powerLimitW;
  }

  /** Energy over the window in joules and how it was found, or NaN and null without samples. */
  record Energy(double joules, String source, boolean covers) {}

  Energy energy() {
    double from = fromUs / 1000.0, to = toUs / 1000.0;
    if (counter.n >= 2) {
      long[] mj = new long[counter.n];
      for (int i = 0; i < mj.length; i++) mj[i] = Math.round(counter.v[i]);
      double j = EnergyMath.counterDeltaJ(Arrays.copyOf(counter.tMs, counter.n), mj, from, to);
      return new Energy(j, Gpu.EnergySource.COUNTER, counter.spans(fromUs, toUs));
    }
    if (power.n >= 2) {
      double j = EnergyMath.integratePowerJ(Arrays.copyOf(power.tMs, power.n), Arrays.copyOf(power.v, power.n), from, to);
      return new Energy(j, Gpu.EnergySource.INTEGRATED_POWER, power.spans(fromUs, toUs));
    }
    return new Energy(Double.NaN, null, false);
  }
}
