package com.portals.ledger.projections.payout;

import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes elements one per line, indented by nesting, so that a bank file Finance downloads can be
 * read (and diffed) by a person. Text goes through the StAX writer, which escapes it.
 */
final class IndentedXml {

  private static final String INDENT = "  ";

  private final XMLStreamWriter out;
  private int depth;

  IndentedXml(XMLStreamWriter out) {
    this.out = out;
  }

  /** Opens an element that holds other elements; {@link #close} ends it. */
  IndentedXml open(String name) throws XMLStreamException {
    newLine();
    out.writeStartElement(name);
    depth++;
    return this;
  }

  /** Ends the element last opened. */
  IndentedXml close() throws XMLStreamException {
    depth--;
    newLine();
    out.writeEndElement();
    return this;
  }

  /** An element that holds only {@code text}. */
  IndentedXml leaf(String name, String text) throws XMLStreamException {
    newLine();
    out.writeStartElement(name);
    out.writeCharacters(text);
    out.writeEndElement();
    return this;
  }

  /** An element that holds only {@code text} and has one attribute. */
  IndentedXml leaf(String name, String attribute, String value, String text)
      throws XMLStreamException {
    newLine();
    out.writeStartElement(name);
    out.writeAttribute(attribute, value);
    out.writeCharacters(text);
    out.writeEndElement();
    return this;
  }

  private void newLine() throws XMLStreamException {
    out.writeCharacters("\n" + INDENT.repeat(depth));
  }
}
