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
    public static final List<String> NAMES = List.of("rfc3339", "eventTime", "emailList");

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
        return switch (conversion) {
            case "rfc3339", "eventTime" -> Json.MAPPER.getNodeFactory().stringNode(time(value, path, conversion.equals("eventTime")));
            case "emailList" -> emailList(value, path);
            default -> throw new IllegalStateException("unknown conversion " + conversion);
        };
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
