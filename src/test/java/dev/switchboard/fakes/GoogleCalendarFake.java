package dev.switchboard.fakes;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Google Calendar API v3 and the People API's contact reads, as Google answers them: RFC 3339 times with seconds and
 * an offset (or a date alone for all-day events), events paged by {@code pageToken}/{@code nextPageToken} with
 * {@code maxResults}, a Meet link only for {@code conferenceDataVersion=1} and a create request, {@code attendeesOmitted}
 * updating only the sender's answer, {@code {"error": {"code", "errors": [{"reason"}], "message", "status"}}} errors,
 * 429 {@code rateLimitExceeded}. The account's email is {@value #EMAIL}, its primary calendar's id.
 */
public final class GoogleCalendarFake extends GoogleFake {
    public static final String EMAIL = "ada@example.com";
    private static final Pattern EVENT_ID = Pattern.compile("[a-v0-9]{5,1024}");

    private final Map<String, List<ObjectNode>> events = new ConcurrentHashMap<>();
    private final List<ObjectNode> contacts = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong(1000);
    private volatile boolean warm;

    public GoogleCalendarFake(int contactCount) {
        for (int i = 1; i <= contactCount; i++) {
            ObjectNode person = NODES.objectNode().put("resourceName", "people/c" + (7000 + i)).put("etag", "%E" + i);
            person.putArray("names").addObject().put("displayName", "Contact " + i);
            person.putArray("emailAddresses").addObject().put("value", "contact" + i + "@example.com");
            contacts.add(person);
        }
    }

    public String apiUrl() { return baseUrl() + "/calendar/v3"; }
    public String peopleUrl() { return baseUrl() + "/v1"; }
    public List<ObjectNode> events(String calendar) { return events.computeIfAbsent(calendar, c -> new CopyOnWriteArrayList<>()); }

    @Override
    protected void routes(RoutesConfig routes) {
        String calendars = "/calendar/v3/calendars/{calendarId}";
        get(routes, calendars, "calendar", (ctx, body) -> json(ctx, 200, NODES.objectNode().put("kind", "calendar#calendar")
                .put("id", calendarId(ctx)).put("summary", calendarId(ctx)).put("timeZone", "Europe/Zurich")));
        get(routes, "/calendar/v3/users/me/calendarList", "calendarList", (ctx, body) -> {
            ObjectNode answer = NODES.objectNode().put("kind", "calendar#calendarList");
            answer.putArray("items").addObject().put("id", EMAIL).put("summary", EMAIL).put("primary", true).put("accessRole", "owner");
            json(ctx, 200, answer);
        });
        post(routes, calendars + "/events", "insert", this::insert);
        post(routes, calendars + "/events/quickAdd", "quickAdd", (ctx, body) -> {
            ObjectNode event = NODES.objectNode().put("id", "qa" + ids.incrementAndGet()).put("summary", ctx.queryParam("text"));
            event.putObject("start").put("dateTime", "2026-12-03T12:00:00+01:00");
            event.putObject("end").put("dateTime", "2026-12-03T13:00:00+01:00");
            stamp(event);
            events(calendarId(ctx)).add(event);
            json(ctx, 200, event);
        });
        get(routes, calendars + "/events", "list", this::list);
        get(routes, calendars + "/events/{eventId}", "get", (ctx, body) -> {
            ObjectNode event = find(ctx);
            if (event != null) json(ctx, 200, event);
        });
        patch(routes, calendars + "/events/{eventId}", "patch", this::patchEvent);
        delete(routes, calendars + "/events/{eventId}", "delete", (ctx, body) -> {
            ObjectNode event = find(ctx);
            if (event != null) {
                events(calendarId(ctx)).remove(event);
                ctx.status(204);
            }
        });
        post(routes, "/calendar/v3/freeBusy", "freeBusy", this::freeBusy);
        get(routes, "/v1/people/me/connections", "connections", (ctx, body) -> {
            if (ctx.queryParam("personFields") == null) {
                error(ctx, new VendorError(400, "badRequest", "personMask is required. Please specify one or more valid paths."));
                return;
            }
            page(ctx, contacts, "connections", "pageSize", 100);
        });
        get(routes, "/v1/people:searchContacts", "searchContacts", (ctx, body) -> {
            String query = ctx.queryParam("query");
            if (query == null || ctx.queryParam("readMask") == null) {
                error(ctx, new VendorError(400, "badRequest", "query and readMask are required."));
                return;
            }
            ObjectNode answer = NODES.objectNode();
            // Google answers from a cache the empty-query warm-up fills: a search before it finds nothing.
            if (query.isEmpty() || !warm) {
                warm = warm || query.isEmpty();
                json(ctx, 200, answer);
                return;
            }
            ArrayNode results = answer.putArray("results");
            contacts.stream().filter(c -> c.at("/names/0/displayName").asString().toLowerCase().contains(query.toLowerCase()))
                    .forEach(c -> results.addObject().set("person", c));
            json(ctx, 200, answer);
        });
    }

    private static String calendarId(Context ctx) {
        return ctx.pathParam("calendarId").equals("primary") ? EMAIL : ctx.pathParam("calendarId");
    }

    private ObjectNode find(Context ctx) {
        ObjectNode event = events(calendarId(ctx)).stream().filter(e -> e.get("id").asString().equals(ctx.pathParam("eventId"))).findFirst().orElse(null);
        if (event == null) {
            error(ctx, new VendorError(404, "notFound", "Not Found"));
        }
        return event;
    }

    /** A start or end as Google takes it: a dateTime in RFC 3339 (seconds and an offset, or a time zone beside it) or a date. */
    private static String timeProblem(JsonNode when, String field) {
        if (when == null || when.isMissingNode()) {
            return "Missing " + field + ".";
        }
        if (when.has("date")) {
            return when.get("date").asString().matches("\\d{4}-\\d{2}-\\d{2}") ? null : "Invalid " + field + ".date.";
        }
        String text = when.path("dateTime").asString("");
        try {
            if (!text.matches(".*T\\d{2}:\\d{2}:\\d{2}.*")) {
                return "Invalid " + field + ".dateTime: seconds are required.";
            }
            OffsetDateTime.parse(text);
            return null;
        } catch (DateTimeParseException e) {
            return when.has("timeZone") && text.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}") ? null : "Invalid " + field + ".dateTime.";
        }
    }

    private void insert(Context ctx, JsonNode body) {
        String problem = timeProblem(body.get("start"), "start");
        problem = problem != null ? problem : timeProblem(body.get("end"), "end");
        if (problem != null) {
            error(ctx, new VendorError(400, "badRequest", problem));
            return;
        }
        ObjectNode event = ((ObjectNode) body.deepCopy());
        String id = body.path("id").asString("");
        if (!id.isEmpty() && !EVENT_ID.matcher(id).matches()) {
            error(ctx, new VendorError(400, "invalid", "Invalid resource id value."));
            return;
        }
        if (!id.isEmpty() && events(calendarId(ctx)).stream().anyMatch(e -> e.get("id").asString().equals(id))) {
            error(ctx, new VendorError(409, "duplicate", "The requested identifier already exists."));
            return;
        }
        event.put("id", id.isEmpty() ? "ev" + ids.incrementAndGet() : id).put("status", "confirmed").put("kind", "calendar#event");
        event.putObject("organizer").put("email", EMAIL).put("self", true);
        JsonNode create = body.at("/conferenceData/createRequest");
        event.remove("conferenceData");
        if ("1".equals(ctx.queryParam("conferenceDataVersion")) && create.has("requestId")) {
            event.put("hangoutLink", "https://meet.google.com/abc-defg-" + event.get("id").asString().substring(0, 3));
            ObjectNode conference = event.putObject("conferenceData");
            conference.putObject("createRequest").put("requestId", create.get("requestId").asString()).putObject("status").put("statusCode", "success");
            conference.putArray("entryPoints").addObject().put("entryPointType", "video").put("uri", event.get("hangoutLink").asString());
        }
        stamp(event);
        events(calendarId(ctx)).add(event);
        json(ctx, 200, event);
    }


    /** A new event's times: created and updated now. */
    private void stamp(ObjectNode event) {
        String now = tick();
        event.put("created", now).put("updated", now);
    }

    /** The next instant of the fake's clock, as Google writes times. */
    private String tick() {
        return nextWrite().toString().replace("Z", ".000Z");
    }

    private void patchEvent(Context ctx, JsonNode body) {
        ObjectNode event = find(ctx);
        if (event == null) {
            return;
        }
        if (body.path("attendeesOmitted").asBoolean(false)) {
            // Only the sender's own answer changes; the guest list stays.
            for (JsonNode given : body.path("attendees")) {
                for (JsonNode attendee : event.path("attendees")) {
                    if (attendee.path("email").asString().equals(given.path("email").asString())) {
                        ((ObjectNode) attendee).setAll((ObjectNode) given);
                    }
                }
            }
            event.put("updated", tick());
            json(ctx, 200, event);
            return;
        }
        for (String field : List.copyOf(body.propertyNames())) {
            event.set(field, body.get(field)); // arrays and objects given replace the old ones, as Google's patch does
        }
        event.put("updated", tick());
        json(ctx, 200, event);
    }

    /** Events that overlap [timeMin, timeMax), by start, paged. */
    private void list(Context ctx, JsonNode body) {
        OffsetDateTime min = ctx.queryParam("timeMin") == null ? null : OffsetDateTime.parse(ctx.queryParam("timeMin"));
        OffsetDateTime max = ctx.queryParam("timeMax") == null ? null : OffsetDateTime.parse(ctx.queryParam("timeMax"));
        java.time.Instant updatedMin = ctx.queryParam("updatedMin") == null ? null : OffsetDateTime.parse(ctx.queryParam("updatedMin")).toInstant();
        if (updatedMin != null || "updated".equals(ctx.queryParam("orderBy"))) {
            // what changed since updatedMin, by last modification (ascending, Google's only direction)
            List<ObjectNode> changed = events(calendarId(ctx)).stream()
                    .filter(e -> updatedMin == null || !java.time.Instant.parse(e.path("updated").asString("1970-01-01T00:00:00Z")).isBefore(updatedMin))
                    .sorted(Comparator.comparing(e -> e.path("updated").asString(""))).toList();
            page(ctx, changed, "items", "maxResults", 250);
            return;
        }
        List<ObjectNode> matching = new ArrayList<>(events(calendarId(ctx)).stream()
                .filter(e -> e.at("/start/dateTime").isString())
                .filter(e -> min == null || OffsetDateTime.parse(e.at("/end/dateTime").asString()).isAfter(min))
                .filter(e -> max == null || OffsetDateTime.parse(e.at("/start/dateTime").asString()).isBefore(max))
                .toList());
        matching.sort(Comparator.comparing(e -> OffsetDateTime.parse(e.at("/start/dateTime").asString())));
        page(ctx, matching, "items", "maxResults", 250);
    }

    private void page(Context ctx, List<ObjectNode> records, String field, String sizeParam, int defaultSize) {
        int size = intParam(ctx, sizeParam, defaultSize);
        int start = ctx.queryParam("pageToken") == null ? 0 : Integer.parseInt(ctx.queryParam("pageToken").substring(1));
        int end = Math.min(records.size(), start + size);
        ObjectNode answer = NODES.objectNode();
        ArrayNode list = answer.putArray(field);
        records.subList(Math.min(start, end), end).forEach(list::add);
        if (end < records.size()) {
            answer.put("nextPageToken", "p" + end);
        }
        json(ctx, 200, answer);
    }

    private void freeBusy(Context ctx, JsonNode body) {
        if (!body.has("timeMin") || !body.has("timeMax")) {
            error(ctx, new VendorError(400, "badRequest", "Missing timeMin or timeMax."));
            return;
        }
        OffsetDateTime min = OffsetDateTime.parse(body.get("timeMin").asString());
        OffsetDateTime max = OffsetDateTime.parse(body.get("timeMax").asString());
        ObjectNode answer = NODES.objectNode().put("kind", "calendar#freeBusy").put("timeMin", body.get("timeMin").asString())
                .put("timeMax", body.get("timeMax").asString());
        ObjectNode calendars = answer.putObject("calendars");
        for (JsonNode item : body.path("items")) {
            String id = item.path("id").asString().equals("primary") ? EMAIL : item.path("id").asString();
            ArrayNode busy = calendars.putObject(item.path("id").asString()).putArray("busy");
            events(id).stream().filter(e -> e.at("/start/dateTime").isString())
                    .filter(e -> OffsetDateTime.parse(e.at("/end/dateTime").asString()).isAfter(min)
                            && OffsetDateTime.parse(e.at("/start/dateTime").asString()).isBefore(max))
                    .forEach(e -> busy.addObject().put("start", e.at("/start/dateTime").asString()).put("end", e.at("/end/dateTime").asString()));
        }
        json(ctx, 200, answer);
    }
}
