package dev.switchboard.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.integrations.IntegrationDefinition.Pagination;
import dev.switchboard.json.Json;
import dev.switchboard.outbound.VendorResponse;
import dev.switchboard.outcomes.Failure;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The one pagination loop, each style and wire style alone: no server, no vendor. */
class PaginatorTest {
    private static Pagination cursor(String nextCursor, String urlParam) {
        return new Pagination("cursor", null, "cursor", nextCursor, urlParam, null, null, null, "limit", null, null, null, null, null, null, null);
    }

    private static JsonNode params(String json) {
        return Json.MAPPER.readTree(json);
    }

    private static ObjectNode page(int records, String extraJson) {
        ObjectNode body = (ObjectNode) Json.MAPPER.readTree(extraJson);
        ArrayNode list = body.putArray("data");
        IntStream.range(0, records).forEach(i -> list.add(Json.object().put("i", i)));
        return body;
    }

    private static VendorResponse answer(ObjectNode body, Map<String, List<String>> headers) {
        return new VendorResponse(200, headers, Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void cursorGoesOutAsTheVendorsFieldAndComesBackAsPageCursor() {
        Paginator paginator = new Paginator(cursor("/meta/next", null), null);
        VendorRequestParts request = new VendorRequestParts("GET");
        Paginator.Position position = paginator.applyTo(params("{\"pageCursor\": \"abc\"}"), request);
        assertThat(request.query()).containsEntry("cursor", "abc");

        ObjectNode result = (ObjectNode) Json.MAPPER.readTree("{\"meta\": {\"next\": \"def\"}}");
        paginator.annotate(result, answer(result, Map.of()), position);
        assertThat(result.get("pageCursor").asString()).isEqualTo("def");
        assertThat(result.at("/nextPaginationParameters/pageCursor").asString()).isEqualTo("def");
    }

    @Test
    void aMissingOrEmptyNextCursorEndsTheList() {
        Paginator paginator = new Paginator(cursor("/meta/next", null), null);
        for (String body : List.of("{}", "{\"meta\": {\"next\": null}}", "{\"meta\": {\"next\": \"\"}}")) {
            ObjectNode result = (ObjectNode) Json.MAPPER.readTree(body);
            paginator.annotate(result, answer(result, Map.of()), paginator.applyTo(null, new VendorRequestParts("GET")));
            assertThat(result.has("pageCursor")).as(body).isFalse();
        }
    }

    @Test
    void aNextPageUrlGivesTheCursorInItsQuery() {
        Paginator paginator = new Paginator(cursor("/_links/next", "cursor"), null);
        ObjectNode result = (ObjectNode) Json.MAPPER.readTree("{\"_links\": {\"next\": \"/wiki/api/v2/spaces?limit=2&cursor=a%2Bb\"}}");
        paginator.annotate(result, answer(result, Map.of()), paginator.applyTo(null, new VendorRequestParts("GET")));
        assertThat(result.get("pageCursor").asString()).isEqualTo("a+b");
    }

    @Test
    void offsetForTheCallerOnAPageWireDropsTheRecordsBeforeTheOffset() {
        // Zoho: the caller pages by offset, the vendor by page of 100
        Pagination zoho = new Pagination("offset", "page", null, null, null, null, "page", 1, "per_page", 100, "/info/more", null, null, null, null, null);
        Paginator paginator = new Paginator(zoho, "/data");
        VendorRequestParts request = new VendorRequestParts("GET");
        Paginator.Position position = paginator.applyTo(params("{\"offset\": 150}"), request);
        assertThat(request.query()).containsEntry("page", "2").containsEntry("per_page", "100");

        ObjectNode result = page(100, "{\"info\": {\"more\": true}}");
        paginator.annotate(result, answer(result, Map.of()), position);
        assertThat(result.get("data")).hasSize(50);
        assertThat(result.get("data").get(0).get("i").asInt()).isEqualTo(50);
        assertThat(result.at("/nextPaginationParameters/offset").asLong()).isEqualTo(200);
    }

    @Test
    void offsetOnAnOffsetWireEndsWhenTheTotalIsReached() {
        Pagination mailchimp = new Pagination("offset", null, null, null, null, "offset", null, null, "count", 10, null, "/total", null, null, null, null);
        Paginator paginator = new Paginator(mailchimp, "/data");
        Paginator.Position second = paginator.applyTo(params("{\"skip\": 10}"), new VendorRequestParts("GET"));
        ObjectNode more = page(10, "{\"total\": 25}");
        paginator.annotate(more, answer(more, Map.of()), second);
        assertThat(more.get("pageCursor").asString()).isEqualTo("20");

        Paginator.Position last = paginator.applyTo(params("{\"pageCursor\": \"20\"}"), new VendorRequestParts("GET"));
        ObjectNode end = page(5, "{\"total\": 25}");
        paginator.annotate(end, answer(end, Map.of()), last);
        assertThat(end.has("pageCursor")).isFalse();
    }

    @Test
    void pageForTheCallerOnAnOffsetWireFollowsTheLinkHeader() {
        // ServiceNow: the caller pages by page number, the vendor by sysparm_offset, more while Link has rel="next"
        Pagination servicenow = new Pagination("page", "offset", null, null, null, "sysparm_offset", null, null, "sysparm_limit", 10,
                null, null, null, true, null, null);
        Paginator paginator = new Paginator(servicenow, "/data");
        VendorRequestParts request = new VendorRequestParts("GET");
        Paginator.Position position = paginator.applyTo(params("{\"page\": 3}"), request);
        assertThat(request.query()).containsEntry("sysparm_offset", "20");

        ObjectNode withNext = page(10, "{}");
        paginator.annotate(withNext, answer(withNext, Map.of("Link", List.of("<https://x/api?sysparm_offset=30>;rel=\"next\""))), position);
        assertThat(withNext.at("/nextPaginationParameters/page").asLong()).isEqualTo(4);

        ObjectNode withoutNext = page(10, "{}");
        paginator.annotate(withoutNext, answer(withoutNext, Map.of("Link", List.of("<https://x/api?sysparm_offset=0>;rel=\"first\""))), position);
        assertThat(withoutNext.has("pageCursor")).isFalse();
    }

    @Test
    void pagesEndAtThePageCountOrAShortPage() {
        Pagination counted = new Pagination("page", null, null, null, null, null, "page", 1, "page_size", 10, null, null, "/pages", null, null, null);
        Paginator paginator = new Paginator(counted, "/data");
        ObjectNode last = page(10, "{\"pages\": 2}");
        paginator.annotate(last, answer(last, Map.of()), paginator.applyTo(params("{\"pageNumber\": 2}"), new VendorRequestParts("GET")));
        assertThat(last.has("pageCursor")).isFalse();

        Pagination plain = new Pagination("page", null, null, null, null, null, "page", 0, "size", 10, null, null, null, null, null, null);
        Paginator zeroBased = new Paginator(plain, "/data");
        VendorRequestParts request = new VendorRequestParts("GET");
        Paginator.Position first = zeroBased.applyTo(null, request);
        assertThat(request.query()).containsEntry("page", "0");
        ObjectNode full = page(10, "{}");
        zeroBased.annotate(full, answer(full, Map.of()), first);
        assertThat(full.at("/nextPaginationParameters/page").asLong()).isEqualTo(2);
        ObjectNode shortPage = page(3, "{}");
        zeroBased.annotate(shortPage, answer(shortPage, Map.of()), first);
        assertThat(shortPage.has("pageCursor")).isFalse();
    }

    @Test
    void aPageCursorThisActionNeverReturnedIsRefusedByName() {
        Pagination offset = new Pagination("offset", null, null, null, null, "offset", null, null, "count", 10, null, null, null, null, null, null);
        assertThatThrownBy(() -> new Paginator(offset, "/data").applyTo(params("{\"pageCursor\": \"not-a-number\"}"), new VendorRequestParts("GET")))
                .isInstanceOfSatisfying(Failure.class, f -> {
                    assertThat(f.kind()).isEqualTo(Failure.Kind.INVALID_INPUT);
                    assertThat(f.getMessage()).contains("paginationParameters.pageCursor");
                });
    }
}
