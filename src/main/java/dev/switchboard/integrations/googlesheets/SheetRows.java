package dev.switchboard.integrations.googlesheets;

import dev.switchboard.outcomes.Suggestions;
import dev.switchboard.programs.ActionProgram;
import dev.switchboard.json.Json;
import dev.switchboard.filters.FilterFormulas;
import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Google Sheets' rows as ActionKit speaks of them, keyed by the column names of a worksheet's first row, as programs
 * over the Sheets API's value actions: the spreadsheet is read for the worksheet's title and size, the header row
 * (or the whole worksheet) is read, and cells are written by position. Filters are ActionKit's filter formulas,
 * evaluated here on the cells as the user sees them ({@link FilterFormulas#matches}), since Sheets cannot filter.
 *
 * <p>Between reading rows and writing them another user may insert, delete or sort rows; Sheets has no conditional
 * write, so an update then lands on the rows now at those numbers (as it would for any client).
 */
public final class SheetRows {
    static final String GET_SPREADSHEET = "GOOGLE_SHEETS_GET_SPREADSHEET";
    static final String GET_VALUES = "GOOGLE_SHEETS_GET_VALUES";
    static final String APPEND_VALUES = "GOOGLE_SHEETS_APPEND_VALUES";
    static final String BATCH_UPDATE_VALUES = "GOOGLE_SHEETS_BATCH_UPDATE_VALUES";
    static final String DELETE_ROWS = "GOOGLE_SHEETS_DELETE_ROWS";

    private SheetRows() {}

    public static Map<String, ActionProgram> all() {
        return Map.of("googleSheetsGetRows", ActionProgram.of(true, Set.of(GET_SPREADSHEET, GET_VALUES), SheetRows::getRows),
                "googleSheetsCreateRow", ActionProgram.of(false, Set.of(GET_SPREADSHEET, GET_VALUES, APPEND_VALUES), SheetRows::createRow),
                "googleSheetsUpdateRows", ActionProgram.of(false, Set.of(GET_SPREADSHEET, GET_VALUES, BATCH_UPDATE_VALUES), SheetRows::updateRows),
                "googleSheetsSearchRows", ActionProgram.of(true, Set.of(GET_SPREADSHEET, GET_VALUES), SheetRows::searchRows),
                "googleSheetsDeleteRow", ActionProgram.of(false, Set.of(GET_SPREADSHEET, DELETE_ROWS), SheetRows::deleteRow));
    }

    /** A worksheet: its title (which ranges name), its numeric id and how many rows its grid has. */
    record Sheet(String title, long sheetId, int rowCount) {
        /** The title as A1 notation writes it: always quoted, a quote inside doubled ({@code 'Bob''s'}). */
        String quoted() {
            return "'" + title.replace("'", "''") + "'";
        }
    }

    /**
     * A worksheet's cells as read: the header row, its column names (the header's non-blank cells), and each data row
     * by its row number (1 is the header).
     */
    record Table(List<String> header, Set<String> columns, Map<Integer, List<String>> rows) {

        String cell(int row, String column) {
            int index = header.indexOf(column);
            List<String> cells = rows.get(row);
            return index < 0 || cells == null || index >= cells.size() ? "" : cells.get(index);
        }

        ObjectNode record(int row) {
            ObjectNode values = Json.object();
            for (String column : columns) {
                values.put(column, cell(row, column));
            }
            return Json.object().put("rowNumber", row).set("values", values);
        }
    }

    // ---- the programs --------------------------------------------------------------------------------------------

    private static JsonNode getRows(JsonNode input, ActionProgram.Steps steps) {
        Sheet sheet = sheet(steps, input);
        int limit = input.path("limit").asInt(0);
        String range = limit > 0 ? sheet.quoted() + "!1:" + Math.min(limit + 1L, Math.max(1, sheet.rowCount())) : sheet.quoted();
        ObjectNode answer = (ObjectNode) values(steps, input, range);
        Table table = table(answer);
        ArrayNode rows = answer.putArray("rows");
        table.rows().keySet().forEach(row -> rows.add(table.record(row)));
        return answer;
    }

    private static JsonNode createRow(JsonNode input, ActionProgram.Steps steps) {
        Sheet sheet = sheet(steps, input);
        List<String> header = table(values(steps, input, sheet.quoted() + "!1:1")).header();
        requireHeader(header, sheet);
        Map<Integer, JsonNode> cells = cellsByColumn(input.get("additionalFields"), header, "parameters.additionalFields");
        int first = 0;
        while (header.get(first).isBlank()) {
            first++; // Google appends from the table's first column, where the first column name is
        }
        int last = header.size() - 1;
        ArrayNode row = Json.MAPPER.createArrayNode();
        for (int column = first; column <= last; column++) {
            row.add(cells.getOrDefault(column, Json.MAPPER.getNodeFactory().stringNode("")));
        }
        ObjectNode append = Json.object().put("spreadsheetId", input.get("spreadsheetId").asString())
                .put("range", sheet.quoted() + "!" + column(first) + "1:" + column(last) + "1")
                .put("valueInputOption", input.path("valueInputOption").asString("USER_ENTERED")).put("insertDataOption", "INSERT_ROWS");
        append.putArray("values").add(row);
        return steps.run(APPEND_VALUES, append);
    }

    private static JsonNode updateRows(JsonNode input, ActionProgram.Steps steps) {
        Sheet sheet = sheet(steps, input);
        JsonNode formula = formula(input);
        Table table = table(values(steps, input, sheet.quoted()));
        requireHeader(table.header(), sheet);
        Map<Integer, JsonNode> cells = cellsByColumn(input.get("additionalFields"), table.header(), "parameters.additionalFields");
        List<Integer> matched = matching(table, formula);
        ArrayNode data = Json.MAPPER.createArrayNode();
        for (int row : matched) {
            // Only the given cells are written, in runs of adjacent columns: a formula elsewhere in the row stays.
            List<Integer> columns = new ArrayList<>(new java.util.TreeSet<>(cells.keySet()));
            for (int start = 0; start < columns.size(); ) {
                int end = start;
                while (end + 1 < columns.size() && columns.get(end + 1) == columns.get(end) + 1) {
                    end++;
                }
                ArrayNode values = Json.MAPPER.createArrayNode();
                for (int i = start; i <= end; i++) {
                    values.add(cells.get(columns.get(i)));
                }
                String from = column(columns.get(start)) + row;
                String to = column(columns.get(end)) + row;
                ObjectNode range = data.addObject().put("range", sheet.quoted() + "!" + from + (from.equals(to) ? "" : ":" + to));
                range.putArray("values").add(values);
                start = end + 1;
            }
        }
        if (data.isEmpty()) {
            return Json.object().put("spreadsheetId", input.get("spreadsheetId").asString()).put("totalUpdatedRows", 0)
                    .put("totalUpdatedColumns", 0).put("totalUpdatedCells", 0).put("totalUpdatedSheets", 0).set("responses", Json.MAPPER.createArrayNode());
        }
        ObjectNode update = Json.object().put("spreadsheetId", input.get("spreadsheetId").asString())
                .put("valueInputOption", input.path("valueInputOption").asString("USER_ENTERED"));
        update.set("data", data);
        return steps.run(BATCH_UPDATE_VALUES, update);
    }

    private static JsonNode searchRows(JsonNode input, ActionProgram.Steps steps) {
        Sheet sheet = sheet(steps, input);
        JsonNode formula = formula(input);
        Table table = table(values(steps, input, sheet.quoted()));
        requireHeader(table.header(), sheet);
        int limit = input.path("limit").asInt(Integer.MAX_VALUE);
        ObjectNode answer = Json.object().put("spreadsheetId", input.get("spreadsheetId").asString()).put("worksheet", sheet.title());
        ArrayNode rows = answer.putArray("rows");
        matching(table, formula).stream().limit(limit).forEach(row -> rows.add(table.record(row)));
        return answer;
    }

    private static JsonNode deleteRow(JsonNode input, ActionProgram.Steps steps) {
        Sheet sheet = sheet(steps, input);
        int row = input.get("rowNumber").asInt();
        if (row > sheet.rowCount()) {
            throw Failure.invalidInput("invalid_parameters", "parameters.rowNumber: worksheet " + Echo.quote(sheet.title()) + " has "
                    + sheet.rowCount() + " rows.");
        }
        return steps.run(DELETE_ROWS, Json.object().put("spreadsheetId", input.get("spreadsheetId").asString()).put("sheetId", sheet.sheetId())
                .put("startIndex", row - 1).put("endIndex", row));
    }

    // ---- shared steps ----------------------------------------------------------------------------------------------

    /** The worksheet the input names by title or numeric id, or the spreadsheet's first worksheet when it names none. */
    static Sheet sheet(ActionProgram.Steps steps, JsonNode input) {
        JsonNode spreadsheet = steps.run(GET_SPREADSHEET, Json.object().put("spreadsheetId", input.get("spreadsheetId").asString())
                .put("fields", "sheets.properties(sheetId,title,index,gridProperties(rowCount))"));
        List<Sheet> sheets = new ArrayList<>();
        for (JsonNode s : spreadsheet.path("sheets")) {
            JsonNode p = s.path("properties");
            sheets.add(new Sheet(p.path("title").asString(""), p.path("sheetId").asLong(), p.path("gridProperties").path("rowCount").asInt(1000)));
        }
        if (sheets.isEmpty()) {
            throw new Failure(Failure.Kind.VENDOR_FAILED, "integration_response_unreadable", "Google Sheets' answer lists no worksheets.");
        }
        String wanted = input.path("worksheet").asString(null);
        if (wanted == null) {
            return sheets.getFirst(); // Google lists the worksheets in their order
        }
        for (Sheet sheet : sheets) {
            if (sheet.title().equals(wanted)) {
                return sheet;
            }
        }
        for (Sheet sheet : sheets) {
            if (wanted.equals(String.valueOf(sheet.sheetId()))) {
                return sheet;
            }
        }
        List<String> titles = sheets.stream().map(Sheet::title).toList();
        String closest = Suggestions.closest(wanted, titles);
        throw Failure.invalidInput("invalid_parameters", "parameters.worksheet: the spreadsheet has no worksheet " + Echo.quote(wanted)
                + (closest == null ? "" : "; did you mean '" + closest + "'?") + " (its worksheets: " + String.join(", ", titles) + ").");
    }

    private static JsonNode values(ActionProgram.Steps steps, JsonNode input, String range) {
        return steps.run(GET_VALUES, Json.object().put("spreadsheetId", input.get("spreadsheetId").asString()).put("range", range));
    }

    /** The cells of a ValueRange read by rows: its first row the header, the rest by row number (blank rows left out). */
    static Table table(JsonNode valueRange) {
        List<String> header = new ArrayList<>();
        Map<Integer, List<String>> rows = new TreeMap<>();
        JsonNode values = valueRange.path("values");
        for (int i = 0; i < values.size(); i++) {
            List<String> cells = new ArrayList<>();
            values.get(i).forEach(cell -> cells.add(cell.asString("")));
            if (i == 0) {
                header.addAll(cells);
            } else if (cells.stream().anyMatch(c -> !c.isEmpty())) {
                rows.put(i + 1, cells);
            }
        }
        return new Table(header, columnNames(header), rows);
    }

    private static void requireHeader(List<String> header, Sheet sheet) {
        if (header.stream().allMatch(String::isBlank)) {
            throw Failure.invalidInput("invalid_parameters", "parameters.worksheet: worksheet " + Echo.quote(sheet.title())
                    + " has no column names in its first row; rows are given by column name.");
        }
    }

    /** The given cells by column index: each key names a column of the header, exactly or (if none does) ignoring case and spaces. */
    static Map<Integer, JsonNode> cellsByColumn(JsonNode given, List<String> header, String path) {
        Map<Integer, JsonNode> cells = new LinkedHashMap<>();
        Set<String> names = columnNames(header);
        for (Map.Entry<String, JsonNode> field : given.properties()) {
            int column = columnOf(field.getKey(), header);
            if (column == -2) {
                throw Failure.invalidInput("invalid_parameters", path + "." + field.getKey() + ": the first row names "
                        + Echo.quote(field.getKey()) + " more than once.");
            }
            if (column < 0) {
                String closest = Suggestions.closest(field.getKey(), names);
                throw Failure.invalidInput("invalid_parameters", path + "." + field.getKey() + ": no column " + Echo.quote(field.getKey())
                        + " in the first row" + (closest == null ? "" : "; did you mean '" + closest + "'?") + " (the columns: "
                        + String.join(", ", names) + ").");
            }
            if (cells.containsKey(column)) {
                throw Failure.invalidInput("invalid_parameters", path + "." + field.getKey() + ": another key names the same column.");
            }
            JsonNode value = field.getValue();
            cells.put(column, value == null || value.isNull() ? Json.MAPPER.getNodeFactory().stringNode("") : value);
        }
        return cells;
    }

    private static Set<String> columnNames(List<String> header) {
        Set<String> names = new LinkedHashSet<>();
        header.stream().filter(h -> !h.isBlank()).forEach(names::add);
        return names;
    }

    /** The column a key names: -1 none, -2 more than one. */
    private static int columnOf(String key, List<String> header) {
        int found = header.indexOf(key);
        if (found >= 0) {
            return header.lastIndexOf(key) == found ? found : -2;
        }
        found = -1;
        for (int i = 0; i < header.size(); i++) {
            if (!header.get(i).isBlank() && header.get(i).strip().equalsIgnoreCase(key.strip())) {
                if (found >= 0) {
                    return -2;
                }
                found = i;
            }
        }
        return found;
    }

    private static JsonNode formula(JsonNode input) {
        JsonNode formula = input.get("filterFormula");
        return formula != null && formula.isString() ? FilterFormulas.fromText(formula.asString(), "parameters.filterFormula") : formula;
    }

    /** The numbers of the data rows that pass the formula, in order. */
    private static List<Integer> matching(Table table, JsonNode formula) {
        List<Integer> matched = new ArrayList<>();
        Set<String> columns = table.columns();
        if (table.rows().isEmpty()) {
            FilterFormulas.matches(formula, "parameters.filterFormula", columns, column -> ""); // still refuse a bad formula
        }
        for (int row : table.rows().keySet()) {
            if (FilterFormulas.matches(formula, "parameters.filterFormula", columns, column -> table.cell(row, column))) {
                matched.add(row);
            }
        }
        return matched;
    }

    /** A column's letters from its index from 0: A..Z, AA.. */
    static String column(int index) {
        StringBuilder letters = new StringBuilder();
        for (int n = index + 1; n > 0; n = (n - 1) / 26) {
            letters.insert(0, (char) ('A' + (n - 1) % 26));
        }
        return letters.toString();
    }
}
