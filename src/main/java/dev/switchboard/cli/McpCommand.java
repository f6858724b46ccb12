package dev.switchboard.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * MCP over stdio for local agents: each JSON-RPC message read from stdin (one per line, as the MCP stdio transport
 * frames them) goes to the server's {@code /projects/{id}/mcp} with the user token; each answer is written to
 * stdout on one line. The tools, validation and accounts are the server's own. Logs go to stderr only.
 */
@Command(name = "mcp", mixinStandardHelpOptions = true,
        description = "Serve a project's actions as MCP tools over stdio, through a running Switchboard server.")
final class McpCommand implements Callable<Integer> {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Option(names = "--server", defaultValue = "${env:SWITCHBOARD_URL:-http://localhost:8080}",
            description = "Base URL of the server (env SWITCHBOARD_URL, default ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--project", required = true, description = "Project id.")
    String project;

    @Option(names = "--token", defaultValue = "${env:SWITCHBOARD_USER_TOKEN}", required = true,
            description = "The user token (env SWITCHBOARD_USER_TOKEN).")
    String token;

    @Option(names = "--credential", description = "Account to use (X-Paragon-Credential); default: the oldest valid one.")
    String credential;

    @Override
    public Integer call() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        URI endpoint = URI.create(server.replaceAll("/$", "") + "/projects/" + project + "/mcp");
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode message;
            try {
                message = JSON.readTree(line);
            } catch (RuntimeException e) {
                out.println(error(null, -32700, "Parse error"));
                continue;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofMinutes(5))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(line));
            if (credential != null) {
                request.header("X-Paragon-Credential", credential);
            }
            JsonNode id = message.get("id");
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && !response.body().isBlank()) {
                    out.println(JSON.readTree(response.body()).toString());
                } else if (response.statusCode() >= 400 && id != null) {
                    out.println(error(id, -32000, "Switchboard answered HTTP " + response.statusCode() + ": " + response.body()));
                }
            } catch (java.io.IOException e) {
                if (id != null) {
                    out.println(error(id, -32000, "Switchboard could not be reached: " + e.getMessage()));
                }
            }
        }
        return 0;
    }

    private static String error(JsonNode id, int code, String message) {
        ObjectNode error = JSON.createObjectNode().put("jsonrpc", "2.0");
        error.set("id", id);
        error.putObject("error").put("code", code).put("message", message);
        return error.toString();
    }
}
