package dev.switchboard.fakes;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Google Sheets API v4 as Google answers it, for one spreadsheet of worksheets held as text cells: A1 ranges with
 * quoted titles ({@code 'Bob''s'!A1:C2}, whole rows {@code 1:1}, whole worksheets), percent-encoded in the path;
 * {@code values.get} leaving out trailing empty rows and cells (and {@code values} itself for an empty range), 400
 * "Unable to parse range" for an unknown worksheet and "exceeds grid limits" beyond its rows; {@code values.append}
 * writing after the last row of the table from the range's first column; {@code valueInputOption} required on every
 * write; {@code values.batchUpdate} applying all ranges or none; {@code deleteDimension} shifting rows up.
 */
public final class GoogleSheetsFake extends GoogleFake {
    public static final String SPREADSHEET = "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms";
    private static final Pattern RANGE = Pattern.compile("^(?:'((?:[^']|'')+)'|([^'!]+))(?:!([A-Z]*)(\\d*)(?::([A-Z]*)(\\d*))?)?$");

    /** A worksheet: title, id, grid rows, and its cells row by row (row 1 first). */
    public record Sheet(String title, long sheetId, int rowCount, List<List<String>> cells) {}

    private final Map<String, Sheet> sheets = new ConcurrentHashMap<>();
    private final List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();

    public String apiUrl() {
        return baseUrl() + "/v4";
    }

    /** Adds a worksheet holding these rows (row 1 first). */
    public GoogleSheetsFake sheet(String title, long sheetId, int rowCount, List<List<String>> rows) {
        List<List<String>> cells = new ArrayList<>();
        rows.forEach(r -> cells.add(new ArrayList<>(r)));
        sheets.put(title, new Sheet(title, sheetId, rowCount, cells));
        order.add(title);
        return this;
    }

    /** A worksheet's rows as they are now, trailing empty cells left out. */
    public synchronized List<List<String>> rows(String title) {
        List<List<String>> rows = new ArrayList<>();
        for (List<String> row : sheets.get(title).cells()) {
            List<String> copy = new ArrayList<>(row);
            while (!copy.isEmpty() && copy.getLast().isEmpty()) copy.removeLast();
            rows.add(copy);
        }
        return rows;
    }

    public static final String EMAIL = "ada@example.com";

    @Override
    protected void routes(RoutesConfig routes) {
        // OpenID Connect's userinfo, which the account's label is read from
        get(routes, "/v1/userinfo", "userinfo", (ctx, body) -> json(ctx, 200, NODES.objectNode().put("sub", "1099").put("email", EMAIL)
                .put("email_verified", true)));
        get(routes, "/v4/spreadsheets/{id}", "getSpreadsheet", (ctx, body) -> {
            if (!SPREADSHEET.equals(ctx.pathParam("id"))) {
                error(ctx, new VendorError(404, "notFound", "Requested entity was not found."));
                return;
            }
            ObjectNode answer = NODES.objectNode().put("spreadsheetId", SPREADSHEET);
            ArrayNode list = answer.putArray("sheets");
            for (int i = 0; i < order.size(); i++) {
                Sheet sheet = sheets.get(order.get(i));
                list.addObject().putObject("properties").put("sheetId", sheet.sheetId()).put("title", sheet.title()).put("index", i)
                        .putObject("gridProperties").put("rowCount", sheet.rowCount()).put("columnCount", 26);
            }
            json(ctx, 200, answer);
        });
        get(routes, "/v4/spreadsheets/{id}/values/{range}", "getValues", (ctx, body) -> {
            Target target = target(ctx, rawRange(ctx.path(), "/values/"));
            if (target == null) return;
            synchronized (this) {
                ObjectNode answer = NODES.objectNode().put("range", target.sheet().title() + "!" + target.a1()).put("majorDimension", "ROWS");
                ArrayNode values = NODES.arrayNode();
                for (int r = target.top(); r <= Math.min(target.bottom(), target.sheet().cells().size()); r++) {
                    List<String> row = target.sheet().cells().get(r - 1);
                    ArrayNode cells = NODES.arrayNode();
                    for (int c = target.left(); c <= Math.min(target.right(), row.size() - 1); c++) cells.add(row.get(c));
                    while (!cells.isEmpty() && cells.get(cells.size() - 1).asString().isEmpty()) cells.remove(cells.size() - 1);
                    values.add(cells);
                }
                while (!values.isEmpty() && values.get(values.size() - 1).isEmpty()) values.remove(values.size() - 1);
                if (!values.isEmpty()) answer.set("values", values);
                json(ctx, 200, answer);
            }
        });
        post(routes, "/v4/spreadsheets/<rest>", "write", (ctx, body) -> {
            String path = ctx.path();
            if (path.endsWith(":append")) {
                append(ctx, body, rawRange(path.substring(0, path.length() - ":append".length()), "/values/"));
            } else if (path.endsWith("/values:batchUpdate")) {
                batchUpdate(ctx, body);
            } else if (path.endsWith(":batchUpdate")) {
                structure(ctx, body);
            } else {
                error(ctx, new VendorError(404, "notFound", "Not found: " + path));
            }
        });
    }

    private static String rawRange(String path, String after) {
        return URLDecoder.decode(path.substring(path.indexOf(after) + after.length()).replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** A range resolved on a worksheet: rows from 1, columns from 0, both inclusive. */
    private record Target(Sheet sheet, int top, int left, int bottom, int right, String a1) {}

    private Target target(Context ctx, String range) {
        Matcher m = RANGE.matcher(range);
        Sheet sheet = m.matches() ? sheets.get(m.group(1) != null ? m.group(1).replace("''", "'") : m.group(2)) : null;
        if (sheet == null) {
            error(ctx, new VendorError(400, "badRequest", "Unable to parse range: " + range));
            return null;
        }
        String startColumn = m.group(3) == null ? "" : m.group(3);
        String startRow = m.group(4) == null ? "" : m.group(4);
        boolean span = m.group(5) != null;
        int top = startRow.isEmpty() ? 1 : Integer.parseInt(startRow);
        int bottom = span ? (m.group(6).isEmpty() ? sheet.rowCount() : Integer.parseInt(m.group(6))) : startRow.isEmpty() ? sheet.rowCount() : top;
        int left = startColumn.isEmpty() ? 0 : column(startColumn);
        int right = span ? (m.group(5).isEmpty() ? 25 : column(m.group(5))) : startColumn.isEmpty() ? 25 : left;
        if (bottom > sheet.rowCount()) {
            error(ctx, new VendorError(400, "badRequest", "Range ('" + sheet.title() + "'!" + range + ") exceeds grid limits. Max rows: "
                    + sheet.rowCount() + ", max columns: 26"));
            return null;
        }
        return new Target(sheet, top, left, bottom, right, (m.group(3) == null ? "" : m.group(3) + m.group(4)) + (m.group(5) == null ? "" : ":" + m.group(5) + m.group(6)));
    }

    private static int column(String letters) {
        int n = 0;
        for (char c : letters.toCharArray()) n = n * 26 + (c - 'A' + 1);
        return n - 1;
    }

    private static String letters(int index) {
        StringBuilder s = new StringBuilder();
        for (int n = index + 1; n > 0; n = (n - 1) / 26) s.insert(0, (char) ('A' + (n - 1) % 26));
        return s.toString();
    }

    private boolean requireValueInputOption(Context ctx, String option) {
        if (!"RAW".equals(option) && !"USER_ENTERED".equals(option)) {
            error(ctx, new VendorError(400, "badRequest", "Invalid valueInputOption: INPUT_VALUE_OPTION_UNSPECIFIED"));
            return false;
        }
        return true;
    }

    private synchronized void append(Context ctx, JsonNode body, String range) {
        if (!requireValueInputOption(ctx, ctx.queryParam("valueInputOption"))) return;
        Target target = target(ctx, range);
        if (target == null) return;
        List<List<String>> cells = target.sheet().cells();
        int last = 0; // the table: from row 1 down to its last row holding anything from the range's first column on
        for (int r = 0; r < cells.size(); r++) {
            if (cells.get(r).stream().skip(target.left()).anyMatch(c -> !c.isEmpty())) last = r + 1;
        }
        int row = last + 1;
        JsonNode values = body.path("values");
        int width = 0;
        for (JsonNode given : values) {
            while (cells.size() < row) cells.add(new ArrayList<>());
            List<String> line = new ArrayList<>();
            for (int c = 0; c < target.left(); c++) line.add("");
            given.forEach(v -> line.add(v.isNull() ? "" : v.asString()));
            cells.add(row - 1, line); // INSERT_ROWS
            width = Math.max(width, given.size());
            row++;
        }
        ObjectNode answer = NODES.objectNode().put("spreadsheetId", SPREADSHEET).put("tableRange", target.sheet().title() + "!A1:" + letters(25) + last);
        answer.putObject("updates").put("spreadsheetId", SPREADSHEET).put("updatedRange", target.sheet().title() + "!" + letters(target.left())
                + (last + 1) + ":" + letters(target.left() + width - 1) + (row - 1)).put("updatedRows", values.size())
                .put("updatedColumns", width).put("updatedCells", values.size() * width);
        json(ctx, 200, answer);
    }

    private synchronized void batchUpdate(Context ctx, JsonNode body) {
        if (!requireValueInputOption(ctx, body.path("valueInputOption").asString(null))) return;
        List<Target> targets = new ArrayList<>();
        for (JsonNode data : body.path("data")) {
            Target target = target(ctx, data.path("range").asString(""));
            if (target == null) return; // all or nothing
            targets.add(target);
        }
        int cellsWritten = 0;
        ArrayNode responses = NODES.arrayNode();
        for (int i = 0; i < targets.size(); i++) {
            Target target = targets.get(i);
            JsonNode rows = body.path("data").get(i).path("values");
            for (int r = 0; r < rows.size(); r++) {
                while (target.sheet().cells().size() < target.top() + r) target.sheet().cells().add(new ArrayList<>());
                List<String> line = target.sheet().cells().get(target.top() + r - 1);
                for (int c = 0; c < rows.get(r).size(); c++) {
                    while (line.size() <= target.left() + c) line.add("");
                    line.set(target.left() + c, rows.get(r).get(c).isNull() ? line.get(target.left() + c) : rows.get(r).get(c).asString());
                    cellsWritten++;
                }
            }
            responses.addObject().put("spreadsheetId", SPREADSHEET).put("updatedRange", target.sheet().title() + "!" + target.a1());
        }
        ObjectNode answer = NODES.objectNode().put("spreadsheetId", SPREADSHEET).put("totalUpdatedRows", targets.size())
                .put("totalUpdatedCells", cellsWritten).put("totalUpdatedSheets", 1);
        answer.set("responses", responses);
        json(ctx, 200, answer);
    }

    private synchronized void structure(Context ctx, JsonNode body) {
        ArrayNode replies = NODES.arrayNode();
        for (JsonNode request : body.path("requests")) {
            JsonNode delete = request.path("deleteDimension").path("range");
            Sheet sheet = sheets.values().stream().filter(s -> s.sheetId() == delete.path("sheetId").asLong(-1)).findFirst().orElse(null);
            if (sheet == null || !"ROWS".equals(delete.path("dimension").asString())) {
                error(ctx, new VendorError(400, "badRequest", "Invalid requests[0]: No grid with id: " + delete.path("sheetId")));
                return;
            }
            int start = delete.path("startIndex").asInt();
            int end = Math.min(delete.path("endIndex").asInt(), sheet.cells().size());
            for (int r = end - 1; r >= start; r--) sheet.cells().remove(r);
            replies.addObject();
        }
        ObjectNode answer = NODES.objectNode().put("spreadsheetId", SPREADSHEET);
        answer.set("replies", replies);
        json(ctx, 200, answer);
    }
}
