package com.portals.ledger.projections.payout;

import com.portals.ledger.projections.payout.Pain002.InvalidReport;
import com.portals.ledger.projections.payout.Pain002.Report;
import com.portals.ledger.projections.payout.Pain002.TransactionStatus;
import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * One reading of a pain.002 document with StAX. Elements are known by their path from the root,
 * since the same names (StsRsnInf, Cd) occur at several levels with different meanings; elements
 * this reading has no use for are passed over, as is anything in another namespace.
 */
final class Pain002Parser {

  private static final String ROOT = "Document";
  private static final String REPORT = "CstmrPmtStsRpt";
  private static final String MESSAGE_ID = REPORT + "/GrpHdr/MsgId";
  private static final String GROUP = REPORT + "/OrgnlGrpInfAndSts";
  private static final String BLOCK = REPORT + "/OrgnlPmtInfAndSts";
  private static final String TRANSACTION = BLOCK + "/TxInfAndSts";

  private final byte[] xml;
  private XMLStreamReader in;

  /** The path from the root of each element open, the innermost first; the root's is "". */
  private final Deque<String> open = new ArrayDeque<>();

  private boolean sawReport;
  private String messageId;
  private String originalMessageId;
  private String groupStatus;
  private String groupReason;
  private final List<Block> blocks = new ArrayList<>();
  private Block block;
  private Transaction transaction;

  /** An OrgnlPmtInfAndSts: its status is the default of its transactions'. */
  private static final class Block {
    String status;
    final List<Transaction> transactions = new ArrayList<>();
  }

  /** A TxInfAndSts as read, its status not yet inherited. */
  private static final class Transaction {
    final int line;
    String endToEndId;
    String status;
    String reasonCode;
    final List<String> additionalInfo = new ArrayList<>();

    Transaction(int line) {
      this.line = line;
    }
  }

  Pain002Parser(byte[] xml) {
    this.xml = xml;
  }

  Report parse() {
    if (isBlank(xml)) {
      throw new InvalidReport("the report is empty: expected a pain.002.001.10 XML document");
    }
    try {
      in = secureFactory().createXMLStreamReader(new ByteArrayInputStream(xml));
      try {
        walk();
      } finally {
        in.close();
      }
    } catch (XMLStreamException e) {
      throw notWellFormed(e);
    }
    return report();
  }

  /** No DTD, hence no entity of any kind, and nothing fetched from outside. */
  private static XMLInputFactory secureFactory() {
    XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    return factory;
  }

  private void walk() throws XMLStreamException {
    while (in.hasNext()) {
      switch (in.next()) {
        case XMLStreamConstants.DTD ->
            throw invalid(
                "the report declares a DOCTYPE, which is refused: DTDs and entities could read"
                    + " files or expand without bound, and a pain.002 needs none");
        case XMLStreamConstants.START_ELEMENT -> started();
        case XMLStreamConstants.END_ELEMENT -> ended(open.pop());
        default -> {}
      }
    }
  }

  private void started() throws XMLStreamException {
    if (open.isEmpty()) {
      checkRoot();
      open.push("");
      return;
    }
    String parent = open.peek();
    String path = parent.isEmpty() ? name() : parent + "/" + name();
    if (parent.isEmpty()) {
      if (!path.equals(REPORT)) {
        throw invalid(ROOT + " holds " + name() + " where a pain.002 has " + REPORT);
      }
      sawReport = true;
    }
    if (!readText(path)) {
      open.push(path);
      opened(path);
    }
  }

  private void checkRoot() {
    String namespace = in.getNamespaceURI() == null ? "" : in.getNamespaceURI();
    if (!ROOT.equals(in.getLocalName())) {
      throw invalid(
          "the root element is "
              + in.getLocalName()
              + (namespace.isEmpty() ? " (no namespace)" : " of namespace " + namespace)
              + ", expected "
              + ROOT
              + " of namespace "
              + Pain002.NAMESPACE);
    }
    if (!Pain002.NAMESPACE.equals(namespace)) {
      throw invalid(
          "the document's namespace is "
              + (namespace.isEmpty() ? "missing" : namespace)
              + ", expected "
              + Pain002.NAMESPACE
              + " (a customer payment status report, version 10)");
    }
  }

  /** Reads the element if it is one whose text is wanted, and tells whether it did. */
  private boolean readText(String path) throws XMLStreamException {
    switch (path) {
      case MESSAGE_ID -> messageId = once(messageId, path);
      case GROUP + "/OrgnlMsgId" -> originalMessageId = once(originalMessageId, path);
      case GROUP + "/GrpSts" -> groupStatus = once(groupStatus, path);
      case GROUP + "/StsRsnInf/Rsn/Cd", GROUP + "/StsRsnInf/Rsn/Prtry" -> {
        String reason = text();
        groupReason = groupReason == null ? reason : groupReason;
      }
      case BLOCK + "/PmtInfSts" -> block.status = once(block.status, path);
      case TRANSACTION + "/OrgnlEndToEndId" ->
          transaction.endToEndId = once(transaction.endToEndId, path);
      case TRANSACTION + "/TxSts" -> transaction.status = once(transaction.status, path);
      case TRANSACTION + "/StsRsnInf/Rsn/Cd", TRANSACTION + "/StsRsnInf/Rsn/Prtry" -> {
        String reason = text();
        transaction.reasonCode = transaction.reasonCode == null ? reason : transaction.reasonCode;
      }
      case TRANSACTION + "/StsRsnInf/AddtlInf" -> transaction.additionalInfo.add(text());
      default -> {
        return false;
      }
    }
    return true;
  }

  private void opened(String path) {
    if (path.equals(BLOCK)) {
      block = new Block();
    } else if (path.equals(TRANSACTION)) {
      transaction = new Transaction(line());
    }
  }

  private void ended(String path) {
    if (path.equals(TRANSACTION)) {
      if (transaction.endToEndId == null) {
        throw new InvalidReport(
            "line " + transaction.line + ": TxInfAndSts without OrgnlEndToEndId");
      }
      block.transactions.add(transaction);
    } else if (path.equals(BLOCK)) {
      blocks.add(block);
    }
  }

  /** The text of a single-valued element, refused if the element came before. */
  private String once(String before, String path) throws XMLStreamException {
    if (before != null) {
      throw invalid("a second " + shortPath(path) + " (the first said " + before + ")");
    }
    return text();
  }

  /** The text of the current element, which ends it; refused if empty or if it holds elements. */
  private String text() throws XMLStreamException {
    String element = in.getLocalName();
    int line = line();
    StringBuilder text = new StringBuilder();
    while (true) {
      switch (in.next()) {
        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
            text.append(in.getText());
        case XMLStreamConstants.START_ELEMENT ->
            throw invalid(
                element + " holds an element, " + in.getLocalName() + ", where text is expected");
        case XMLStreamConstants.END_ELEMENT -> {
          String value = text.toString().strip();
          if (value.isEmpty()) {
            throw new InvalidReport("line " + line + ": " + element + " is empty");
          }
          return value;
        }
        default -> {}
      }
    }
  }

  private Report report() {
    if (!sawReport) {
      throw new InvalidReport(ROOT + " holds no " + REPORT + ": the report has nothing to say");
    }
    if (messageId == null) {
      throw new InvalidReport("GrpHdr/MsgId is missing: every pain.002 has one");
    }
    if (originalMessageId == null) {
      throw new InvalidReport(
          "OrgnlGrpInfAndSts/OrgnlMsgId is missing: which pain.001 does the report answer?");
    }
    List<TransactionStatus> transactions = new ArrayList<>();
    for (Block each : blocks) {
      for (Transaction read : each.transactions) {
        transactions.add(status(read, each));
      }
    }
    return new Report(messageId, originalMessageId, groupStatus, groupReason, transactions);
  }

  /** The transaction's status: its own, else its block's, else the group's. */
  private TransactionStatus status(Transaction read, Block owner) {
    String status =
        read.status != null ? read.status : owner.status != null ? owner.status : groupStatus;
    if (status == null) {
      throw new InvalidReport(
          "line "
              + read.line
              + ": TxInfAndSts for "
              + read.endToEndId
              + " has no TxSts, and neither its OrgnlPmtInfAndSts (PmtInfSts) nor the group"
              + " (GrpSts) gives one");
    }
    String info = read.additionalInfo.isEmpty() ? null : String.join(" ", read.additionalInfo);
    return new TransactionStatus(read.endToEndId, status, read.reasonCode, info);
  }

  /** The element's local name, or its name with its namespace when that is not pain.002's. */
  private String name() {
    String namespace = in.getNamespaceURI();
    return Pain002.NAMESPACE.equals(namespace)
        ? in.getLocalName()
        : "{" + namespace + "}" + in.getLocalName();
  }

  private static String shortPath(String path) {
    return path.substring(path.indexOf('/') + 1);
  }

  private int line() {
    return in.getLocation().getLineNumber();
  }

  private InvalidReport invalid(String message) {
    return new InvalidReport("line " + line() + ": " + message);
  }

  private static InvalidReport notWellFormed(XMLStreamException e) {
    Location where = e.getLocation();
    String message = String.valueOf(e.getMessage());
    int start = message.indexOf("Message: ");
    String reason = start < 0 ? message : message.substring(start + "Message: ".length());
    return new InvalidReport(
        (where == null
                ? ""
                : "line " + where.getLineNumber() + ", column " + where.getColumnNumber() + ": ")
            + "not well-formed XML: "
            + reason,
        e);
  }

  private static boolean isBlank(byte[] xml) {
    for (byte b : xml) {
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return false;
      }
    }
    return true;
  }
}
