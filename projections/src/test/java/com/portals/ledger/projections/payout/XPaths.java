package com.portals.ledger.projections.payout;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.xml.namespace.NamespaceContext;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** A written document read back by XPath, its elements under the prefix {@code p}. */
final class XPaths {

  private final Document document;
  private final XPath xpath;

  XPaths(byte[] xml, String namespace) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
    factory.setNamespaceAware(true);
    document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    xpath = XPathFactory.newDefaultInstance().newXPath();
    xpath.setNamespaceContext(
        new NamespaceContext() {
          @Override
          public String getNamespaceURI(String prefix) {
            return "p".equals(prefix) ? namespace : null;
          }

          @Override
          public String getPrefix(String uri) {
            return null;
          }

          @Override
          public Iterator<String> getPrefixes(String uri) {
            return List.<String>of().iterator();
          }
        });
  }

  /** The text of the first node at {@code path} ("" when there is none). */
  String text(String path) throws Exception {
    return xpath.evaluate(path, document);
  }

  /** The texts of all nodes at {@code path}, in document order. */
  List<String> texts(String path) throws Exception {
    NodeList nodes = (NodeList) xpath.evaluate(path, document, XPathConstants.NODESET);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      texts.add(nodes.item(i).getTextContent());
    }
    return texts;
  }

  /** How many nodes there are at {@code path}. */
  int count(String path) throws Exception {
    return ((NodeList) xpath.evaluate(path, document, XPathConstants.NODESET)).getLength();
  }
}
