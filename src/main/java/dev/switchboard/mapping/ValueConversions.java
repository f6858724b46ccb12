package dev.switchboard.mapping;

import dev.switchboard.json.Json;
import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * Values written the vendor's way where ActionKit's parameters take them another way ({@code map: {x: {as: ...}}}):
 * times given as Unix seconds or milliseconds or ISO 8601 become RFC 3339, and addresses given as a list or as
 * comma-separated text become the vendor's list of objects. A value that reads as none of the accepted forms is a
 * 400 naming the parameter.
 */
public final class ValueConversions {
    /** The conversions a definition can name. */
    public static final List<String> NAMES = List.of("rfc3339", "eventTime", "emailList", "graphDateTime", "graphRecipients",
            "graphAttendees", "graphFileAttachments", "base64", "not");

    /** Microsoft Graph takes a file attachment inline up to 3 MB; larger ones need an upload session. */
    static final int GRAPH_INLINE_ATTACHMENT_LIMIT = 3 * 1024 * 1024;

    private static final Pattern DIGITS = Pattern.compile("-?\\d{1,15}");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    /** RFC 3339 always writes the seconds (java.time's toString leaves out zero seconds). */
    private static final java.time.format.DateTimeFormatter WITH_OFFSET = java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");
    private static final java.time.format.DateTimeFormatter LOCAL = java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
    /** Unix times above this are milliseconds (in seconds it would be the year 5138). */
    private static final long MILLISECONDS_FROM = 100_000_000_000L;

    private ValueConversions() {}

    /**
     * @param conversion one of {@link #NAMES}
     * @param path       the parameter's path, for errors
     */
    public static JsonNode convert(String conversion, JsonNode value, String path) {
        return convert(conversion, value, path, null);
    }

    /**
     * @param zone the time zone a {@code graphDateTime} is written in (an input's value, IANA or Windows name), or null
     */
    public static JsonNode convert(String conversion, JsonNode value, String path, String zone) {
        return switch (conversion) {
            case "rfc3339", "eventTime" -> Json.MAPPER.getNodeFactory().stringNode(time(value, path, conversion.equals("eventTime")));
            case "emailList" -> emailList(value, path);
            case "graphDateTime" -> graphDateTime(value, path, zone);
            case "graphRecipients", "graphAttendees" -> graphRecipients(value, path, conversion.equals("graphAttendees"));
            case "graphFileAttachments" -> graphFileAttachments(value, path);
            // a boolean the vendor asks the other way round (Zendesk's internal note is a comment that is not public)
            case "not" -> Json.MAPPER.getNodeFactory().booleanNode(!value.asBoolean(false));
            // text whose vendor field holds its UTF-8 bytes in base64 (GitHub's file content)
            case "base64" -> Json.MAPPER.getNodeFactory().stringNode(java.util.Base64.getEncoder().encodeToString(
                    value.asString("").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            // HubSpot's property values are all text, a multi-select's options joined by ';' (Salesforce's multipicklist too)
            case "semicolonText" -> Json.MAPPER.getNodeFactory().stringNode(value.isArray() ? semicolonJoined(value) : value.asString());
            case "semicolonList" -> value.isArray() ? Json.MAPPER.getNodeFactory().stringNode(semicolonJoined(value)) : value;
            case "unixSeconds" -> Json.MAPPER.getNodeFactory().numberNode(unixSeconds(value, path));
            case "integer" -> Json.MAPPER.getNodeFactory().numberNode(integer(value, path));
            case "date" -> Json.MAPPER.getNodeFactory().stringNode(date(value, path));
            case "adf" -> AtlassianDocuments.of(value, path);
            case "list" -> list(value);
            default -> throw new IllegalStateException("unknown conversion " + conversion);
        };
    }

    /** A list as it is, or text as the list of its comma-separated items (ActionKit's "array or comma-separated list" of tags). */
    private static JsonNode list(JsonNode value) {
        if (value.isArray()) {
            return value;
        }
        ArrayNode items = Json.MAPPER.createArrayNode();
        for (String item : value.asString("").split(",")) {
            if (!item.isBlank()) {
                items.add(item.strip());
            }
        }
        return items;
    }

    private static String semicolonJoined(JsonNode list) {
        return String.join(";", list.valueStream().map(JsonNode::asString).toList());
    }

    /**
     * Microsoft Graph's {@code {"dateTime": wall clock, "timeZone"}}. A time with an offset (or Unix time) is the
     * instant it names, written in the zone when it is one Java knows (IANA), else in UTC; a wall-clock time (or a
     * date, at midnight) is taken as given, in the zone, or UTC when none is given.
     */
    private static JsonNode graphDateTime(JsonNode value, String path, String zone) {
        String text = time(value, path, true);
        java.time.ZoneId zoneId = null;
        if (zone != null) {
            try {
                zoneId = java.time.ZoneId.of(zone);
            } catch (java.time.DateTimeException windowsName) {
                zoneId = null; // Graph knows Windows names ("Pacific Standard Time"); Java does not
            }
        }
        String wallClock;
        String timeZone = zone == null ? "UTC" : zone;
        if (isDate(Json.MAPPER.getNodeFactory().stringNode(text))) {
            wallClock = text + "T00:00:00";
        } else if (text.length() > 19) { // it carries an offset: an instant
            OffsetDateTime instant = OffsetDateTime.parse(text);
            if (zoneId == null) {
                wallClock = instant.atZoneSameInstant(java.time.ZoneOffset.UTC).toLocalDateTime().format(LOCAL);
                timeZone = "UTC";
            } else {
                wallClock = instant.atZoneSameInstant(zoneId).toLocalDateTime().format(LOCAL);
            }
        } else {
            wallClock = text;
        }
        return Json.object().put("dateTime", wallClock).put("timeZone", timeZone);
    }

    /** Addresses (a list, comma-separated text or a JSON list in text; each an address or Name <address>) as Graph's recipients. */
    private static JsonNode graphRecipients(JsonNode value, String path, boolean attendees) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        String name = MimeMessages.inputName(path);
        for (jakarta.mail.internet.InternetAddress address : MimeMessages.addresses(value, name)) {
            tools.jackson.databind.node.ObjectNode recipient = list.addObject();
            tools.jackson.databind.node.ObjectNode email = recipient.putObject("emailAddress").put("address", address.getAddress());
            if (address.getPersonal() != null) {
                email.put("name", address.getPersonal());
            }
            if (attendees) {
                recipient.put("type", "required");
            }
        }
        return list;
    }

    /** ActionKit's File objects as Graph's inline file attachments, their bytes in base64; each at most 3 MB. */
    private static JsonNode graphFileAttachments(JsonNode value, String path) {
        String name = MimeMessages.inputName(path);
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (JsonNode file : MimeMessages.files(value, name)) {
            byte[] bytes = MimeMessages.fileBytes(file.get("data"), path);
            String fileName = file.path("name").asString("attachment");
            if (bytes.length > GRAPH_INLINE_ATTACHMENT_LIMIT) {
                throw Failure.invalidInput("invalid_parameters", path + ": " + Echo.quote(fileName) + " is " + bytes.length
                        + " bytes; Outlook takes attachments of at most 3 MB in a message (use the Proxy API's upload session for more).");
            }
            list.addObject().put("@odata.type", "#microsoft.graph.fileAttachment").put("name", fileName)
                    .put("contentType", file.path("mimeType").asString("application/octet-stream"))
                    .put("contentBytes", java.util.Base64.getEncoder().encodeToString(bytes));
        }
        return list;
    }

    /** Whether a converted event time is a date alone (an all-day event: Google's {@code start.date}, not {@code dateTime}). */
    public static boolean isDate(JsonNode converted) {
        return converted.isString() && DATE.matcher(converted.asString()).matches();
    }

    /**
     * The time {@code plus} after another, in the same form: a date gains whole days (at least one), a time the duration.
     * For an event's end when only its start is given (ActionKit: one hour after the start).
     */
    public static JsonNode later(JsonNode converted, Duration plus) {
        if (converted.isObject() && converted.has("dateTime")) { // Graph's {dateTime, timeZone}: later in the same zone
            String wallClock = LocalDateTime.parse(converted.get("dateTime").asString()).plus(plus).format(LOCAL);
            return Json.object().put("dateTime", wallClock).put("timeZone", converted.path("timeZone").asString("UTC"));
        }
        String text = converted.asString();
        if (isDate(converted)) {
            return Json.MAPPER.getNodeFactory().stringNode(LocalDate.parse(text).plusDays(Math.max(1, plus.toDays())).toString());
        }
        try {
            return Json.MAPPER.getNodeFactory().stringNode(OffsetDateTime.parse(text).plus(plus).format(WITH_OFFSET));
        } catch (DateTimeParseException withoutOffset) {
            return Json.MAPPER.getNodeFactory().stringNode(LocalDateTime.parse(text).plus(plus).format(LOCAL));
        }
    }

    private static String time(JsonNode value, String path, boolean datesAllowed) {
        String text = value.isNumber() ? String.valueOf(value.asLong()) : value.asString("").strip();
        if (DIGITS.matcher(text).matches()) {
            long number = Long.parseLong(text);
            Instant instant = Math.abs(number) >= MILLISECONDS_FROM ? Instant.ofEpochMilli(number) : Instant.ofEpochSecond(number);
            return instant.atOffset(java.time.ZoneOffset.UTC).format(WITH_OFFSET);
        }
        try {
            return OffsetDateTime.parse(text).format(WITH_OFFSET);
        } catch (DateTimeParseException notWithOffset) {
            // fall through
        }
        try {
            // Without an offset the vendor reads it in the calendar's (or the given) time zone.
            return LocalDateTime.parse(text).format(LOCAL);
        } catch (DateTimeParseException notLocal) {
            // fall through
        }
        if (datesAllowed && DATE.matcher(text).matches()) {
            try {
                return LocalDate.parse(text).toString();
            } catch (DateTimeParseException badDate) {
                // reported below
            }
        }
        throw Failure.invalidInput("invalid_parameters", path + ": " + Echo.quote(text) + " is not a time: give Unix seconds or milliseconds, "
                + "or ISO 8601 such as 2025-04-12T10:00:00-07:00" + (datesAllowed ? ", or a date such as 2025-04-12 for a whole day." : "."));
    }

    private static long integer(JsonNode value, String path) {
        String text = value.isNumber() ? value.asString() : value.asString("").strip();
        if (!text.matches("-?\\d{1,18}")) {
            throw Failure.invalidInput("invalid_parameters", path + ": " + Echo.quote(text) + " is not a whole number.");
        }
        return Long.parseLong(text);
    }

    /** A date as given, or the date part of an ISO 8601 time as written (its own calendar day, not UTC's). */
    private static String date(JsonNode value, String path) {
        String text = value.asString("").strip();
        String day = text.length() >= 10 ? text.substring(0, 10) : text;
        try {
            LocalDate.parse(day);
        } catch (DateTimeParseException notADate) {
            throw Failure.invalidInput("invalid_parameters", path + ": " + Echo.quote(text) + " is not a date such as 2026-03-31.");
        }
        if (text.length() > 10) {
            time(value, path, false); // the rest must be a time, not any text
        }
        return day;
    }

    /** A time as Unix seconds: Unix seconds or milliseconds, ISO 8601 (UTC without an offset), or a date at midnight UTC. */
    private static long unixSeconds(JsonNode value, String path) {
        String text = time(value, path, true);
        if (DATE.matcher(text).matches()) {
            return LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond();
        }
        try {
            return OffsetDateTime.parse(text).toEpochSecond();
        } catch (DateTimeParseException withoutOffset) {
            return LocalDateTime.parse(text).toEpochSecond(java.time.ZoneOffset.UTC);
        }
    }

    /** {@code "a@x.com, b@y.com"} or {@code ["a@x.com"]} as {@code [{"email": "a@x.com"}, ...]}. */
    private static JsonNode emailList(JsonNode value, String path) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        List<String> addresses = value.isArray()
                ? value.valueStream().map(v -> v.asString("").strip()).toList()
                : List.of(value.asString("").split("[,;]"));
        for (String address : addresses) {
            String email = address.strip();
            if (email.isEmpty()) {
                continue;
            }
            if (!email.matches("[^@\\s]+@[^@\\s]+") || email.length() > 320) {
                throw Failure.invalidInput("invalid_parameters", path + ": " + Echo.quote(email) + " is not an email address.");
            }
            list.addObject().put("email", email);
        }
        return list;
    }
}
