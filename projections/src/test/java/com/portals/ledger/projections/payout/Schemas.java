package com.portals.ledger.projections.payout;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/** ISO 20022's own schemas, from the test classpath (hbci4j-core's jar carries them). */
final class Schemas {

  static final String PAIN_001 = "/pain.001.001.09.xsd";
  static final String PAIN_002 = "/pain.002.001.10.xsd";

  private Schemas() {}

  /**
   * Asserts that {@code xml} is valid against the schema at {@code resource}, listing all errors.
   */
  static void assertValid(byte[] xml, String resource) {
    assertThat(errors(xml, resource)).as("errors against " + resource).isEmpty();
  }

  static List<String> errors(byte[] xml, String resource) {
    List<String> errors = new ArrayList<>();
    try {
      Validator validator = schema(resource).newValidator();
      validator.setErrorHandler(
          new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {}

            @Override
            public void error(SAXParseException e) {
              errors.add("line " + e.getLineNumber() + ": " + e.getMessage());
            }

            @Override
            public void fatalError(SAXParseException e) throws SAXParseException {
              throw e;
            }
          });
      validator.validate(new StreamSource(new ByteArrayInputStream(xml)));
    } catch (SAXParseException e) {
      errors.add("line " + e.getLineNumber() + ": " + e.getMessage());
    } catch (SAXException e) {
      errors.add(e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return errors;
  }

  private static Schema schema(String resource) throws SAXException {
    URL url = Schemas.class.getResource(resource);
    assertThat(url).as(resource + " on the test classpath").isNotNull();
    return SchemaFactory.newDefaultInstance().newSchema(url);
  }
}
