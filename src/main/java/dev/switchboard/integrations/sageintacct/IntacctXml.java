package dev.switchboard.integrations.sageintacct;

import dev.switchboard.json.Json;
import java.util.regex.Pattern;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** XML to and from JSON for the Intacct gateway. Parsing refuses DTDs and external entities (no XXE). */
final class IntacctXml {
    private static final Pattern ELEMENT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    private IntacctXml() {}

    static String escape(String text) {
        return dev.switchboard.xml.SafeXml.escape(text);
    }

    static void element(StringBuilder out, String name, String text) {
        out.append('<').append(name).append('>').append(escape(text)).append("</").append(name).append('>');
    }

    /**
     * Writes a JSON object as XML elements: a nested object as nested elements, an array as repeated elements.
     *
     * @throws IllegalArgumentException naming a field that is no valid XML element name
     */
    static void write(StringBuilder out, String path, JsonNode object) {
        object.properties().forEach(field -> {
            String name = field.getKey();
            if (!ELEMENT_NAME.matcher(name).matches() || name.toLowerCase().startsWith("xml")) {
                throw new IllegalArgumentException(path + "." + name + ": not a field name Sage Intacct accepts");
            }
            JsonNode value = field.getValue();
            for (JsonNode item : value.isArray() ? value : Json.MAPPER.createArrayNode().add(value)) {
                if (item.isObject()) {
                    out.append('<').append(name).append('>');
                    write(out, path + "." + name, item);
                    out.append("</").append(name).append('>');
                } else if (!item.isNull()) {
                    element(out, name, item.asString());
                }
            }
        });
    }

    static Element parse(byte[] xml) {
        return dev.switchboard.xml.SafeXml.parse(xml, false);
    }

    static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().strip();
    }

    /** An element as JSON: text for a leaf, an object of its children (repeated names become arrays) and attributes otherwise. */
    static JsonNode toJson(Element element) {
        NodeList children = element.getChildNodes();
        boolean hasElements = false;
        for (int i = 0; i < children.getLength(); i++) {
            hasElements |= children.item(i) instanceof Element;
        }
        NamedNodeMap attributes = element.getAttributes();
        if (!hasElements && attributes.getLength() == 0) {
            return Json.MAPPER.getNodeFactory().stringNode(element.getTextContent());
        }
        ObjectNode object = Json.object();
        for (int i = 0; i < attributes.getLength(); i++) {
            object.put(attributes.item(i).getNodeName(), attributes.item(i).getNodeValue());
        }
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element child) {
                JsonNode value = toJson(child);
                JsonNode existing = object.get(child.getTagName());
                if (existing == null) {
                    object.set(child.getTagName(), value);
                } else if (existing instanceof ArrayNode array) {
                    array.add(value);
                } else {
                    object.set(child.getTagName(), Json.MAPPER.createArrayNode().add(existing).add(value));
                }
            }
        }
        return object;
    }
}
