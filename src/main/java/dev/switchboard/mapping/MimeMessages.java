package dev.switchboard.mapping;

import dev.switchboard.files.FileObjects;
import dev.switchboard.integrations.ActionDefinition;
import dev.switchboard.json.Json;
import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * An email as RFC 822 bytes, built by Jakarta Mail from an action's inputs ({@code mime} in a definition), in the
 * base64url form Gmail's {@code raw} field takes: an HTML body with a plain-text alternative, To/Cc/Bcc lists,
 * non-ASCII subjects and names encoded as RFC 2047 says, further headers, and attachments from File objects. A line
 * break in any address, subject or header would let a caller add headers of their own: it is refused, naming the
 * parameter.
 */
public final class MimeMessages {
    private static final Pattern LINE_BREAK = Pattern.compile("[\\r\\n]");
    /** A header name: printable ASCII without the colon (RFC 5322). */
    private static final Pattern HEADER_NAME = Pattern.compile("[!-9;-~]{1,76}");
    private static final Session SESSION = Session.getInstance(new Properties());

    private MimeMessages() {}

    /** The message the inputs describe, encoded as base64url without padding. */
    public static String base64Url(ActionDefinition.Mime spec, JsonNode input) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(spec, input));
    }

    static byte[] bytes(ActionDefinition.Mime spec, JsonNode input) {
        try {
            MimeMessage message = new MimeMessage(SESSION);
            if (given(input, spec.from())) {
                message.setFrom(addresses(input.get(spec.from()), spec.from()).get(0));
            }
            setRecipients(message, Message.RecipientType.TO, input, spec.to());
            setRecipients(message, Message.RecipientType.CC, input, spec.cc());
            setRecipients(message, Message.RecipientType.BCC, input, spec.bcc());
            if (given(input, spec.subject())) {
                message.setSubject(singleLine(input.get(spec.subject()).asString(), spec.subject()), "UTF-8");
            }
            if (given(input, spec.headers())) {
                for (var header : input.get(spec.headers()).properties()) {
                    String name = header.getKey();
                    String path = "parameters." + spec.headers() + "." + Echo.cut(name);
                    if (!HEADER_NAME.matcher(name).matches()) {
                        throw Failure.invalidInput("invalid_parameters", path + ": not a header name (printable ASCII, no colon or space).");
                    }
                    String value = singleLine(header.getValue().isValueNode() ? header.getValue().asString() : header.getValue().toString(), path);
                    // Address headers are addresses: their names are encoded, their addresses never.
                    switch (name.toLowerCase(java.util.Locale.ROOT)) {
                        case "to" -> message.addRecipients(Message.RecipientType.TO, addressArray(header.getValue(), path));
                        case "cc" -> message.addRecipients(Message.RecipientType.CC, addressArray(header.getValue(), path));
                        case "bcc" -> message.addRecipients(Message.RecipientType.BCC, addressArray(header.getValue(), path));
                        case "reply-to" -> message.setReplyTo(addressArray(header.getValue(), path));
                        default -> message.addHeader(name, MimeUtility.fold(name.length() + 2, MimeUtility.encodeText(value, "UTF-8", null)));
                    }
                }
            }
            // A reply names the message it answers, so that mail programs thread it (RFC 5322 3.6.4).
            if (given(input, spec.inReplyTo())) {
                message.setHeader("In-Reply-To", singleLine(input.get(spec.inReplyTo()).asString(), spec.inReplyTo()));
            }
            if (given(input, spec.references())) {
                message.setHeader("References", MimeUtility.fold(12, singleLine(input.get(spec.references()).asString(), spec.references())));
            }
            String html = given(input, spec.html()) ? input.get(spec.html()).asString() : "";
            MimeMultipart alternative = new MimeMultipart("alternative");
            MimeBodyPart text = new MimeBodyPart();
            text.setText(plainText(html), "UTF-8", "plain");
            MimeBodyPart rich = new MimeBodyPart();
            rich.setText(html, "UTF-8", "html");
            alternative.addBodyPart(text);
            alternative.addBodyPart(rich);
            List<JsonNode> files = attachments(input, spec.attachments());
            if (files.isEmpty()) {
                message.setContent(alternative);
            } else {
                MimeMultipart mixed = new MimeMultipart("mixed");
                MimeBodyPart body = new MimeBodyPart();
                body.setContent(alternative);
                mixed.addBodyPart(body);
                for (JsonNode file : files) {
                    MimeBodyPart part = new MimeBodyPart();
                    byte[] bytes = fileBytes(file.get("data"), "parameters." + spec.attachments());
                    part.setDataHandler(new DataHandler(new ByteArrayDataSource(bytes, file.path("mimeType").asString("application/octet-stream"))));
                    part.setFileName(MimeUtility.encodeText(singleLine(file.path("name").asString("attachment"), "parameters." + spec.attachments()
                            + ".name"), "UTF-8", null));
                    part.setDisposition(MimeBodyPart.ATTACHMENT);
                    mixed.addBodyPart(part);
                }
                message.setContent(mixed);
            }
            message.saveChanges();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            message.writeTo(out);
            return out.toByteArray();
        } catch (MessagingException e) {
            throw Failure.invalidInput("invalid_parameters", "The email could not be built: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean given(JsonNode input, String name) {
        return name != null && input.hasNonNull(name);
    }

    private static void setRecipients(MimeMessage message, Message.RecipientType type, JsonNode input, String name) throws MessagingException {
        if (given(input, name)) {
            List<InternetAddress> list = addresses(input.get(name), name);
            if (!list.isEmpty()) {
                message.setRecipients(type, list.toArray(new InternetAddress[0]));
            }
        }
    }

    private static InternetAddress[] addressArray(JsonNode value, String path) {
        return addresses(value, inputName(path)).toArray(new InternetAddress[0]);
    }

    /** The input's name in a parameter's path ({@code parameters.toRecipients}), as the address and file readers take it. */
    static String inputName(String path) {
        return path.startsWith("parameters.") ? path.substring("parameters.".length()) : path;
    }

    /**
     * Addresses given as a list, as comma-separated text or as a JSON list in text, each an address or
     * {@code Name <address>}; a name outside ASCII is encoded.
     */
    static List<InternetAddress> addresses(JsonNode value, String name) {
        List<String> given = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(v -> given.add(v.asString("")));
        } else {
            String text = value.asString("").strip();
            if (text.startsWith("[")) {
                jsonText(text, name).forEach(v -> given.add(v.asString("")));
            } else {
                given.add(text);
            }
        }
        List<InternetAddress> addresses = new ArrayList<>();
        for (String entry : given) {
            String path = "parameters." + name;
            singleLine(entry, path);
            try {
                for (InternetAddress parsed : InternetAddress.parse(entry, true)) {
                    parsed.validate();
                    addresses.add(parsed.getPersonal() == null ? parsed : new InternetAddress(parsed.getAddress(), parsed.getPersonal(), "UTF-8"));
                }
            } catch (AddressException e) {
                throw Failure.invalidInput("invalid_parameters", path + ": " + Echo.quote(entry) + " is not an email address ("
                        + e.getMessage() + ").");
            } catch (java.io.UnsupportedEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        return addresses;
    }

    private static String singleLine(String value, String path) {
        if (LINE_BREAK.matcher(value).find()) {
            throw Failure.invalidInput("invalid_parameters", (path.startsWith("parameters.") ? path : "parameters." + path)
                    + ": a line break here would start a header of its own; give one line.");
        }
        return value;
    }

    private static List<JsonNode> attachments(JsonNode input, String name) {
        return given(input, name) ? files(input.get(name), name) : new ArrayList<>();
    }

    /** File objects given as one, a list, or that list as JSON text (each checked to be a File object). */
    static List<JsonNode> files(JsonNode value, String name) {
        List<JsonNode> files = new ArrayList<>();
        if (value.isString()) {
            value = jsonText(value.asString(), name); // ActionKit's clients send the File objects as JSON text
        }
        if (value.isArray()) {
            value.forEach(files::add);
        } else {
            files.add(value);
        }
        for (JsonNode file : files) {
            if (!file.isObject() || !"FILE".equals(file.path("dataType").asString()) || !file.has("data")) {
                throw Failure.invalidInput("invalid_parameters", "parameters." + name
                        + ": each attachment is a File object, {\"dataType\": \"FILE\", \"mimeType\": \"...\", \"data\": \"<hex>\", \"name\": \"...\"}.");
            }
        }
        return files;
    }

    private static JsonNode jsonText(String text, String name) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (RuntimeException notJson) {
            throw Failure.invalidInput("invalid_parameters", "parameters." + name + ": text here must be JSON (a list, or a File object).");
        }
    }

    /** A File object's bytes: decoded while the body was read, or its hex text (an attachment whose data came first). */
    static byte[] fileBytes(JsonNode data, String path) {
        dev.switchboard.files.FileBytes decoded = FileObjects.bytesOf(data);
        if (decoded != null) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) decoded.length());
            decoded.chunks().forEach(out::writeBytes);
            return out.toByteArray();
        }
        try {
            return java.util.HexFormat.of().parseHex(data.asString(""));
        } catch (IllegalArgumentException e) {
            throw Failure.invalidInput("invalid_parameters", path + ": an attachment's data must be its bytes in hex.");
        }
    }

    /** The HTML's text for the plain-text alternative: tags dropped, line breaks kept where blocks end. */
    static String plainText(String html) {
        String text = html.replaceAll("(?i)<br\\s*/?>", "\n").replaceAll("(?i)</(p|div|li|h[1-6]|tr)>", "\n").replaceAll("<[^>]*>", "");
        return text.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&").strip();
    }
}
