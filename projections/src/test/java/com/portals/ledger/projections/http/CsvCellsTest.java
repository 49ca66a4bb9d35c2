package com.portals.ledger.projections.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.io.StringWriter;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CsvCellsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {"=1+2", "+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "=HYPERLINK(\"x\",\"y\")"})
  void shouldQuoteOffACellThatCouldStartAFormula(String value) {
    assertThat(CsvCells.text(value)).isEqualTo("'" + value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"blog", "sub7", "a=b", "1+1", "'quoted", " =padded"})
  void shouldLeaveOtherTextAsItIs(String value) {
    assertThat(CsvCells.text(value)).isEqualTo(value);
  }

  @Test
  void shouldWriteNullAsAnEmptyCell() {
    assertThat(CsvCells.text(null)).isEmpty();
  }

  @Test
  void shouldStayOneCellThroughCsvQuoting() throws Exception {
    String hostile = "=HYPERLINK(\"http://x.test\",\"open\"),\n@x";
    StringWriter out = new StringWriter();
    try (CSVPrinter printer = new CSVPrinter(out, Views.ORDER_CSV)) {
      printer.printRecord(
          "o1", "", "", "PENDING", CsvCells.text(hostile), "", "", "", "", "", "1.00", "-0.50");
    }

    CSVRecord row =
        CSVFormat.DEFAULT
            .builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .get()
            .parse(new StringReader(out.toString()))
            .getRecords()
            .get(0);
    assertThat(row.get("tracking_id")).isEqualTo("'" + hostile);
    assertThat(row.get("commission")).isEqualTo("-0.50");
  }
}
