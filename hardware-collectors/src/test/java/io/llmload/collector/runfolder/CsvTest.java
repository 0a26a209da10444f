package io.llmload.collector.runfolder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CsvTest {

  @Test
  void decimalsAreShortPlainAndRoot() {
    assertEquals("74.466", Csv.decimal(74.466));
    assertEquals("700", Csv.decimal(700.0));
    assertEquals("0.5", Csv.decimal(0.5));
    assertEquals("0.05", Csv.decimal(0.05));
    assertEquals("0.001", Csv.decimal(0.0005));
    assertEquals("0", Csv.decimal(-0.0001));
    assertEquals("-12.25", Csv.decimal(-12.25));
    assertEquals("81559", Csv.decimal(81559.0));
    assertEquals("1139.001", Csv.decimal(1139.0005));
    assertEquals("9223372036854776000", Csv.decimal(9.223372036854775807e18), "the double nearest 2^63, plain");
  }

  @Test
  void fastPathAgreesWithBigDecimal() {
    Random r = new Random(42); // synthetic values over the ranges samples hold
    for (int i = 0; i < 200_000; i++) {
      double d = switch (i % 4) {
        case 0 -> r.nextInt(100_000) / 1000.0;
        case 1 -> r.nextDouble() * 1000;
        case 2 -> -r.nextDouble() * 10;
        default -> r.nextInt(1 << 20) / 1048576.0 * r.nextInt(100_000);
      };
      BigDecimal x = BigDecimal.valueOf(d).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros();
      String expected = x.signum() == 0 ? "0" : (x.scale() < 0 ? x.setScale(0) : x).toPlainString();
      assertEquals(expected, Csv.decimal(d), () -> "for " + d);
    }
  }

  @Test
  void fieldsAreQuotedPerRfc4180AndSplitBack() {
    StringBuilder b = new StringBuilder();
    Csv.field(b, "NVIDIA \"H100\", 80GB").append(',');
    Csv.field(b, null).append(',');
    Csv.field(b, "plain");
    assertEquals("\"NVIDIA \"\"H100\"\", 80GB\",,plain", b.toString());
    assertEquals(Arrays.asList("NVIDIA \"H100\", 80GB", null, "plain"), Csv.split(b.toString()));
  }
}
