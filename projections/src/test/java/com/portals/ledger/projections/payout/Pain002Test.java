package com.portals.ledger.projections.payout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.portals.ledger.projections.payout.Pain002.InvalidReport;
import com.portals.ledger.projections.payout.Pain002.Outcome;
import com.portals.ledger.projections.payout.Pain002.Report;
import com.portals.ledger.projections.payout.Pain002.TransactionStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class Pain002Test {

  private static final String HEADER =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">
        <CstmrPmtStsRpt>
          <GrpHdr>
            <MsgId>STS-1</MsgId>
            <CreDtTm>2026-03-03T08:00:00Z</CreDtTm>
          </GrpHdr>
      """;

  private static final String FOOTER =
      """
        </CstmrPmtStsRpt>
      </Document>
      """;

  @Test
  void shouldReadEachTransactionsStatusAndReason() {
    String xml =
        HEADER
            + """
                <OrgnlGrpInfAndSts>
                  <OrgnlMsgId>BATCH-1</OrgnlMsgId>
                  <OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>
                  <OrgnlNbOfTxs>3</OrgnlNbOfTxs>
                  <GrpSts>PART</GrpSts>
                </OrgnlGrpInfAndSts>
                <OrgnlPmtInfAndSts>
                  <OrgnlPmtInfId>BATCH-1</OrgnlPmtInfId>
                  <PmtInfSts>PART</PmtInfSts>
                  <TxInfAndSts>
                    <StsId>S-1</StsId>
                    <OrgnlEndToEndId>E2E-1</OrgnlEndToEndId>
                    <TxSts>ACSC</TxSts>
                    <AccptncDtTm>2026-03-03T07:59:00Z</AccptncDtTm>
                  </TxInfAndSts>
                  <TxInfAndSts>
                    <OrgnlEndToEndId>E2E-2</OrgnlEndToEndId>
                    <TxSts>RJCT</TxSts>
                    <StsRsnInf>
                      <Rsn>
                        <Cd>AC04</Cd>
                      </Rsn>
                      <AddtlInf>Account closed</AddtlInf>
                      <AddtlInf>since 2026-02-01</AddtlInf>
                    </StsRsnInf>
                    <OrgnlTxRef>
                      <PmtTpInf>
                        <SvcLvl>
                          <Cd>SEPA</Cd>
                        </SvcLvl>
                      </PmtTpInf>
                    </OrgnlTxRef>
                  </TxInfAndSts>
                  <TxInfAndSts>
                    <OrgnlEndToEndId>E2E-3</OrgnlEndToEndId>
                    <TxSts>PDNG</TxSts>
                  </TxInfAndSts>
                </OrgnlPmtInfAndSts>
            """
            + FOOTER;
    Schemas.assertValid(bytes(xml), Schemas.PAIN_002);

    Report report = Pain002.read(bytes(xml));

    assertThat(report.messageId()).isEqualTo("STS-1");
    assertThat(report.originalMessageId()).isEqualTo("BATCH-1");
    assertThat(report.groupStatus()).isEqualTo("PART");
    assertThat(report.groupReason()).isNull();
    assertThat(report.transactions())
        .containsExactly(
            new TransactionStatus("E2E-1", "ACSC", null, null),
            new TransactionStatus("E2E-2", "RJCT", "AC04", "Account closed since 2026-02-01"),
            new TransactionStatus("E2E-3", "PDNG", null, null));
    assertThat(report.transactions())
        .extracting(TransactionStatus::outcome)
        .containsExactly(Outcome.COMPLETED, Outcome.FAILED, Outcome.NOT_FINAL);
  }

  @Test
  void shouldGiveATransactionWithoutStatusThatOfItsBlockElseOfTheGroup() {
    String xml =
        HEADER
            + """
                <OrgnlGrpInfAndSts>
                  <OrgnlMsgId>BATCH-1</OrgnlMsgId>
                  <OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>
                  <GrpSts>ACCP</GrpSts>
                </OrgnlGrpInfAndSts>
                <OrgnlPmtInfAndSts>
                  <OrgnlPmtInfId>BLOCK-1</OrgnlPmtInfId>
                  <PmtInfSts>RJCT</PmtInfSts>
                  <StsRsnInf>
                    <Rsn>
                      <Cd>DT01</Cd>
                    </Rsn>
                  </StsRsnInf>
                  <TxInfAndSts>
                    <OrgnlEndToEndId>E2E-1</OrgnlEndToEndId>
                    <StsRsnInf>
                      <Rsn>
                        <Prtry>BANK-42</Prtry>
                      </Rsn>
                    </StsRsnInf>
                  </TxInfAndSts>
                  <TxInfAndSts>
                    <OrgnlEndToEndId>E2E-2</OrgnlEndToEndId>
                    <TxSts>ACSC</TxSts>
                  </TxInfAndSts>
                </OrgnlPmtInfAndSts>
                <OrgnlPmtInfAndSts>
                  <OrgnlPmtInfId>BLOCK-2</OrgnlPmtInfId>
                  <TxInfAndSts>
                    <OrgnlEndToEndId>E2E-3</OrgnlEndToEndId>
                  </TxInfAndSts>
                </OrgnlPmtInfAndSts>
            """
            + FOOTER;
    Schemas.assertValid(bytes(xml), Schemas.PAIN_002);

    Report report = Pain002.read(bytes(xml));

    assertThat(report.transactions())
        .containsExactly(
            new TransactionStatus("E2E-1", "RJCT", "BANK-42", null),
            new TransactionStatus("E2E-2", "ACSC", null, null),
            new TransactionStatus("E2E-3", "ACCP", null, null));
  }

  @Test
  void shouldReadTheRejectionOfAWholeFile() {
    String xml =
        HEADER
            + """
                <OrgnlGrpInfAndSts>
                  <OrgnlMsgId>BATCH-1</OrgnlMsgId>
                  <OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>
                  <GrpSts>RJCT</GrpSts>
                  <StsRsnInf>
                    <Rsn>
                      <Cd>FF01</Cd>
                    </Rsn>
                    <AddtlInf>Invalid file format</AddtlInf>
                  </StsRsnInf>
                  <StsRsnInf>
                    <Rsn>
                      <Cd>AM05</Cd>
                    </Rsn>
                  </StsRsnInf>
                </OrgnlGrpInfAndSts>
            """
            + FOOTER;
    Schemas.assertValid(bytes(xml), Schemas.PAIN_002);

    Report report = Pain002.read(bytes(xml));

    assertThat(report).isEqualTo(new Report("STS-1", "BATCH-1", "RJCT", "FF01", List.of()));
  }

  @Test
  void shouldTellWhatEachStatusMeansForThePayout() {
    for (String completed : new String[] {"ACCC", "ACSC", "ACSP"}) {
      assertThat(new TransactionStatus("E", completed, null, null).outcome())
          .isEqualTo(Outcome.COMPLETED);
    }
    assertThat(new TransactionStatus("E", "RJCT", "AC04", null).outcome())
        .isEqualTo(Outcome.FAILED);
    for (String pending : new String[] {"ACTC", "ACCP", "ACWC", "PDNG", "RCVD", "PART", "ACFC"}) {
      assertThat(new TransactionStatus("E", pending, null, null).outcome())
          .isEqualTo(Outcome.NOT_FINAL);
    }
  }

  @Test
  void shouldRefuseADoctypeAndSoAnyEntity() {
    String xxe =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE Document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">
          <CstmrPmtStsRpt><GrpHdr><MsgId>&secret;</MsgId></GrpHdr></CstmrPmtStsRpt>
        </Document>
        """;
    assertRefused(xxe)
        .hasMessageStartingWith("line 2: the report declares a DOCTYPE, which is refused");

    String laughs =
        """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]>
        <lolz>&lol2;</lolz>
        """;
    assertRefused(laughs).hasMessageContaining("DOCTYPE, which is refused");

    String external =
        """
        <?xml version="1.0"?>
        <!DOCTYPE Document SYSTEM "http://localhost:1/pain.dtd">
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"/>
        """;
    assertRefused(external).hasMessageContaining("DOCTYPE, which is refused");
  }

  @Test
  void shouldRefuseAnotherVersionOrAnotherMessage() {
    String version3 =
        HEADER.replace("pain.002.001.10", "pain.002.001.03")
            + """
                <OrgnlGrpInfAndSts>
                  <OrgnlMsgId>BATCH-1</OrgnlMsgId>
                  <OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId>
                </OrgnlGrpInfAndSts>
            """
            + FOOTER;
    assertRefused(version3)
        .hasMessage(
            "line 2: the document's namespace is urn:iso:std:iso:20022:tech:xsd:pain.002.001.03,"
                + " expected urn:iso:std:iso:20022:tech:xsd:pain.002.001.10 (a customer payment"
                + " status report, version 10)");

    assertRefused("<Document><CstmrPmtStsRpt/></Document>")
        .hasMessageContaining("the document's namespace is missing, expected");
    assertRefused("<Report xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.10\"/>")
        .hasMessage(
            "line 1: the root element is Report of namespace"
                + " urn:iso:std:iso:20022:tech:xsd:pain.002.001.10, expected Document of namespace"
                + " urn:iso:std:iso:20022:tech:xsd:pain.002.001.10");
    assertRefused(
            "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.10\">"
                + "<CstmrCdtTrfInitn/></Document>")
        .hasMessage("line 1: Document holds CstmrCdtTrfInitn where a pain.002 has CstmrPmtStsRpt");
  }

  @Test
  void shouldRefuseATransactionWithoutEndToEndIdOrStatus() {
    String withoutId =
        HEADER
            + """
                <OrgnlGrpInfAndSts>
                  <OrgnlMsgId>BATCH-1</OrgnlMsgId>
                  <OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>
                </OrgnlGrpInfAndSts>
                <OrgnlPmtInfAndSts>
                  <OrgnlPmtInfId>BATCH-1</OrgnlPmtInfId>
                  <TxInfAndSts>
                    <TxSts>ACSC</TxSts>
                  </TxInfAndSts>
                </OrgnlPmtInfAndSts>
            """
            + FOOTER;
    assertRefused(withoutId).hasMessage("line 14: TxInfAndSts without OrgnlEndToEndId");

    String withoutStatus =
        withoutId.replace("<TxSts>ACSC</TxSts>", "<OrgnlEndToEndId>E2E-1</OrgnlEndToEndId>");
    assertRefused(withoutStatus)
        .hasMessage(
            "line 14: TxInfAndSts for E2E-1 has no TxSts, and neither its OrgnlPmtInfAndSts"
                + " (PmtInfSts) nor the group (GrpSts) gives one");
  }

  @Test
  void shouldRefuseWhatIsNotXmlAtAll() {
    assertRefused("%PDF-1.7 this is no report")
        .hasMessage("line 1, column 1: not well-formed XML: Content is not allowed in prolog.");
    assertRefused(HEADER).hasMessageContaining("not well-formed XML");
    assertThatThrownBy(() -> Pain002.read(new byte[0]))
        .isInstanceOf(InvalidReport.class)
        .hasMessage("the report is empty: expected a pain.002.001.10 XML document");
    assertRefused(" \r\n\t")
        .hasMessage("the report is empty: expected a pain.002.001.10 XML document");
  }

  @Test
  void shouldRefuseAReportWithoutItsIdsOrWithOddValues() {
    String group =
        """
            <OrgnlGrpInfAndSts>
              <OrgnlMsgId>BATCH-1</OrgnlMsgId>
              <OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>
              <GrpSts>ACSC</GrpSts>
            </OrgnlGrpInfAndSts>
        """;
    assertRefused(HEADER.replace("<MsgId>STS-1</MsgId>", "") + group + FOOTER)
        .hasMessage("GrpHdr/MsgId is missing: every pain.002 has one");
    assertRefused(HEADER + group.replace("<OrgnlMsgId>BATCH-1</OrgnlMsgId>", "") + FOOTER)
        .hasMessageStartingWith("OrgnlGrpInfAndSts/OrgnlMsgId is missing");
    assertRefused(HEADER + group.replace("<GrpSts>ACSC</GrpSts>", "<GrpSts> </GrpSts>") + FOOTER)
        .hasMessage("line 11: GrpSts is empty");
    assertRefused(
            HEADER
                + group.replace(
                    "<GrpSts>ACSC</GrpSts>", "<GrpSts>ACSC</GrpSts><GrpSts>RJCT</GrpSts>")
                + FOOTER)
        .hasMessage("line 11: a second OrgnlGrpInfAndSts/GrpSts (the first said ACSC)");
    assertRefused(
            HEADER
                + group.replace("<GrpSts>ACSC</GrpSts>", "<GrpSts><Cd>ACSC</Cd></GrpSts>")
                + FOOTER)
        .hasMessage("line 11: GrpSts holds an element, Cd, where text is expected");
  }

  @Test
  void shouldPassOverWhatItHasNoUseFor() {
    String xml =
        HEADER
            + """
                <OrgnlGrpInfAndSts>
                  <OrgnlMsgId>BATCH-1</OrgnlMsgId>
                  <OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>
                  <GrpSts>ACCP</GrpSts>
                </OrgnlGrpInfAndSts>
                <!-- a comment -->
                <SplmtryData>
                  <Envlp>
                    <GrpHdr xmlns="urn:example:bank">
                      <MsgId>NOT-THIS-ONE</MsgId>
                    </GrpHdr>
                  </Envlp>
                </SplmtryData>
            """
            + FOOTER;
    Schemas.assertValid(bytes(xml), Schemas.PAIN_002);

    Report report = Pain002.read(bytes(xml));

    assertThat(report).isEqualTo(new Report("STS-1", "BATCH-1", "ACCP", null, List.of()));
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(String xml) {
    return assertThatThrownBy(() -> Pain002.read(bytes(xml))).isInstanceOf(InvalidReport.class);
  }

  private static byte[] bytes(String xml) {
    return xml.getBytes(StandardCharsets.UTF_8);
  }
}
