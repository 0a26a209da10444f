package io.llmload.emulator;

import java.util.Random;

/** The emulated server's timing noise: a seeded log-normal factor around 1 for each step or prefill. */
final class Jitter {
  private final double sigma;
  private final Random noise;

  Jitter(long seed, double sigma) {
    this.sigma = sigma;
    this.noise = new Random(seed ^ 0x5DEECE66DL);
  }

  double factor() {
    if (sigma == 0) {
      return 1;
    }
    return Math.exp(sigma * noise.nextGaussian());
  }
}
