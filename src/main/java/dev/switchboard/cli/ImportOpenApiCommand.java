package dev.switchboard.cli;

import dev.switchboard.integrations.IntegrationCatalog;
import dev.switchboard.openapi.OpenApiImporter;
import dev.switchboard.openapi.OpenApiImporter.Selection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "import-openapi", mixinStandardHelpOptions = true,
        description = {"Turn operations of an OpenAPI 2.0 or 3.x document into action definitions (YAML).",
                "For an integration Switchboard ships, its URLs, auth and pagination are kept and the actions are the"
                        + " imported ones; otherwise a new definition is drafted. Put the result in <data dir>/integrations/<key>.yaml."})
final class ImportOpenApiCommand implements Callable<Integer> {
    @Option(names = "--integration", required = true, description = "The integration key, such as hubspot.")
    String integration;

    @Option(names = "--spec", required = true, description = "The OpenAPI document (JSON or YAML file).")
    Path spec;

    @Option(names = "--operation", description = "An operation to import, \"METHOD /path\" as the document writes it; repeatable.")
    List<String> operations = new ArrayList<>();

    @Option(names = "--name", description = "The action name for the --operation at the same position, such as HUBSPOT_CREATE_RECORD_CONTACTS; default from the operation id.")
    List<String> names = new ArrayList<>();

    @Option(names = "--tag", description = "Import every operation with this tag.")
    String tag;

    @Option(names = "--operations", description = "A file of operations, one per line: METHOD /path [ACTION_NAME]; # starts a comment.")
    Path operationsFile;

    @Option(names = "--out", description = "Write the definition to this file instead of standard output.")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (!Files.isReadable(spec)) {
            throw new IllegalArgumentException("--spec " + spec + ": no such file");
        }
        if (names.size() > operations.size()) {
            throw new IllegalArgumentException("--name is given " + names.size() + " times but --operation " + operations.size() + " times: each --name goes with the --operation at its position");
        }
        OpenApiImporter importer = new OpenApiImporter(integration, spec.getFileName().toString(), Files.readString(spec),
                Optional.ofNullable(IntegrationCatalog.shipped().get(integration)));
        List<Selection> selections = new ArrayList<>();
        for (int i = 0; i < operations.size(); i++) {
            Selection s = Selection.parse(operations.get(i));
            selections.add(i < names.size() ? new Selection(s.method(), s.path(), names.get(i)) : s);
        }
        if (operationsFile != null) {
            for (String line : Files.readAllLines(operationsFile)) {
                String text = line.replaceAll("#.*", "").strip();
                if (!text.isEmpty()) {
                    selections.add(Selection.parse(text));
                }
            }
        }
        if (tag != null) {
            selections.addAll(importer.tagged(tag));
        }
        String yaml = importer.importOperations(selections);
        if (out != null) {
            Files.writeString(out, yaml);
            System.err.println("wrote " + selections.size() + " action(s) to " + out);
        } else {
            System.out.print(yaml);
        }
        return 0;
    }
}
