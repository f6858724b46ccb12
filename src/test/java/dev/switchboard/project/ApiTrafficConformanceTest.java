package dev.switchboard.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.ApiTraffic;
import dev.switchboard.testing.OpenApiCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Runs after the other test classes (junit-platform.properties orders classes by {@link Order}): every request the
 * tests sent to a Switchboard node through testing/Http, and its answer, held against Switchboard's OpenAPI document.
 * An answer must always be one the document describes (its status, its body); a request only when it was accepted,
 * since many tests send what must be refused. CORS preflights (OPTIONS) are not operations and are left out.
 */
@Order(Integer.MAX_VALUE - 1)
class ApiTrafficConformanceTest {
    @Test
    void everyExchangeOfTheRunMatchesTheDocument() {
        List<ApiTraffic.Exchange> exchanges = ApiTraffic.recorded();
        Assumptions.assumeTrue(exchanges.size() >= 200,
                "only " + exchanges.size() + " exchanges were recorded: this check reads the traffic of the whole suite");
        Map<String, List<String>> problems = new TreeMap<>();
        for (ApiTraffic.Exchange exchange : exchanges) {
            if (exchange.method().equals("OPTIONS")) {
                continue; // CORS preflights: answered before routing (SdkConnectFlowTest holds them), not operations
            }
            for (String problem : OpenApiCheck.problems(exchange, exchange.status() < 400)) {
                problems.computeIfAbsent(problem, p -> new ArrayList<>()).add(exchange.test() + ": " + exchange.method() + " "
                        + exchange.uri().getRawPath() + " -> " + exchange.status());
            }
        }
        System.out.printf("OpenAPI conformance: %d exchanges with Switchboard read, %d distinct problems%n", exchanges.size(), problems.size());
        List<String> report = new ArrayList<>();
        problems.forEach((problem, where) -> report.add(problem + "\n    " + where.size() + "x, first " + where.get(0)));
        assertThat(report).as("what the document does not describe").isEmpty();
    }
}
