package dev.switchboard.actions;

import dev.switchboard.outcomes.Suggestions;
import dev.switchboard.auth.UserPrincipal;
import dev.switchboard.calls.AccountSelector;
import dev.switchboard.calls.Protocols;
import dev.switchboard.calls.VendorCalls;
import dev.switchboard.files.FileBytes;
import dev.switchboard.files.FileObjects;
import dev.switchboard.integrations.ActionDefinition;
import dev.switchboard.programs.ActionProgram;
import dev.switchboard.integrations.ActionPrograms;
import dev.switchboard.integrations.IntegrationCatalog;
import dev.switchboard.integrations.IntegrationDefinition;
import dev.switchboard.json.Json;
import dev.switchboard.mapping.VendorProtocol;
import dev.switchboard.mapping.VendorRequestMapper;
import dev.switchboard.mapping.VendorUrls;
import dev.switchboard.outbound.Classification;
import dev.switchboard.outbound.Placeholders;
import dev.switchboard.outbound.VendorCall;
import dev.switchboard.outbound.VendorRequest;
import dev.switchboard.outbound.VendorResponse;
import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import dev.switchboard.store.Credential;
import dev.switchboard.store.ProjectRepository;
import dev.switchboard.store.IntegrationConfigRepository.IntegrationConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs one action, the same way for every entry point (HTTP and MCP):
 * permissions ─► catalog lookup ─► account ─► input validation ─► vendor request ─► vendor call ─► result
 * mapping, recorded as one run by {@link VendorCalls} whatever happened.
 */
public final class ActionRunner {
    private static final Pattern EXTENDED_FILENAME = Pattern.compile("filename\\*=UTF-8''([^;]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern PLAIN_FILENAME = Pattern.compile("filename=\"?([^\";]+)\"?", Pattern.CASE_INSENSITIVE);

    /**
     * The action's result, the credential that produced it, and the parameters dropped because the project ignores
     * unknown ones (their paths, such as {@code parameters.botname}; empty when none).
     */
    public record Result(JsonNode body, String credentialId, List<String> ignoredParameters) {
        public Result {
            ignoredParameters = ignoredParameters == null ? List.of() : List.copyOf(ignoredParameters);
        }
    }

    private final IntegrationCatalog catalog;
    private final VendorCalls calls;
    private final ProjectRepository projects;
    private final AccountFieldReader accountFields;

    public ActionRunner(IntegrationCatalog catalog, VendorCalls calls, ProjectRepository projects) {
        this.catalog = catalog;
        this.calls = calls;
        this.projects = projects;
        this.accountFields = new AccountFieldReader(calls);
    }

    /**
     * @param actionName   as the caller sent it
     * @param parameters   the caller's parameters (null means none)
     * @param credentialId the {@code X-Paragon-Credential} header, or null for the oldest VALID account
     */
    public Result run(UserPrincipal user, String actionName, JsonNode parameters, String credentialId, String requestId) {
        return calls.recorded(user, requestId, String.valueOf(actionName), run -> {
            Prepared prepared = prepare(run, user, actionName, parameters, credentialId);
            ActionDefinition.Compiled action = prepared.action();
            JsonNode input = prepared.input();
            AccountSelector.Account account = prepared.account();
            ActionDefinition.AccountFieldInputs fields = action.definition().accountFields();
            if (fields != null && fields.describe()) {
                return new Result(describe(run, fields, input, account), account.credential().id(), prepared.ignored());
            }
            try {
                return new Result(callVendor(run, action, input, account.credential(), account.config()), account.credential().id(), prepared.ignored());
            } catch (Failure failure) {
                if (fields != null && failure.kind() == Failure.Kind.VENDOR_REFUSED) {
                    // The account's fields may have changed since they were read (a field deleted, a picklist value
                    // renamed): the next run reads them again rather than validate against a stale list for hours.
                    accountFields.forget(recordType(action, input), account);
                }
                throw failure;
            }
        }, result -> 200);
    }

    /** An action with its account chosen and its input validated (for this account's fields, where it takes them). */
    private record Prepared(ActionDefinition.Compiled action, JsonNode input, AccountSelector.Account account, List<String> ignored) {}

    private Prepared prepare(VendorCalls.RunInProgress run, UserPrincipal user, String actionName, JsonNode parameters, String credentialId) {
        user.requireActionKit();
        ActionDefinition.Compiled action = lookUp(actionName);
        run.identify(action.name(), action.integration());
        AccountSelector.Account account = calls.select(run, user, action.integration(), credentialId);
        JsonNode input = parameters == null || parameters.isNull() ? Json.object() : parameters;
        if (!input.isObject()) {
            throw Failure.invalidInput("invalid_parameters", "parameters must be a JSON object");
        }
        boolean dropUnknown = projects.find(user.projectId()).map(ProjectRepository.Project::ignoresUnknownParameters).orElse(false);
        ActionDefinition.AccountFieldInputs fields = action.definition().accountFields();
        if (fields != null && !fields.describe()) {
            // Its own parameters (the record type) first; then the account's fields of that type are parameters too.
            InputValidator.validate(action, input, false);
            action = accountFields.forAccount(run, integrationOf(action), action, recordType(action, input), account);
        }
        List<String> ignored = InputValidator.validate(action, input, dropUnknown);
        run.ignoredParameters(ignored);
        return new Prepared(action, input, account, ignored);
    }

    /**
     * An action whose whole work is one plain vendor call, ready to send: what the event loop sends itself (issue 24).
     *
     * @param ignored the parameters dropped because the project ignores unknown ones
     */
    public record SingleCall(ActionDefinition.Compiled action, IntegrationDefinition integration, JsonNode input, String credentialId,
                             VendorProtocol.Mapped mapped, List<String> ignored) {}

    /**
     * Everything of a run before its vendor call, for an action that is one plain call (no program, no read first, no
     * protocol of its own, no file, no account fields); null, having done nothing, for any other. Throws what
     * {@link #run} would.
     */
    public SingleCall prepareSingleCall(VendorCalls.RunInProgress run, UserPrincipal user, String actionName, JsonNode parameters, String credentialId) {
        ActionDefinition.Compiled named = catalog.action(String.valueOf(actionName)).orElse(null);
        if (named == null || !isSingleCall(named)) {
            return null;
        }
        Prepared prepared = prepare(run, user, actionName, parameters, credentialId);
        IntegrationDefinition integration = integrationOf(prepared.action());
        VendorProtocol.Mapped mapped = mapSingleCall(prepared.action(), prepared.input(), prepared.account().credential(),
                prepared.account().config(), integration, Map.of());
        return new SingleCall(prepared.action(), integration, prepared.input(), prepared.account().credential().id(), mapped, prepared.ignored());
    }

    private boolean isSingleCall(ActionDefinition.Compiled action) {
        ActionDefinition definition = action.definition();
        return definition.program() == null && definition.readFirst() == null && definition.protocol() == null && !definition.returnsFile()
                && definition.attachFile() == null && definition.accountFields() == null && integrationOf(action).protocol() == null;
    }

    /** The action's answer from the vendor's answer to its single call, or the failure that answer means. */
    public JsonNode resultOfSingleCall(SingleCall call, VendorResponse response) {
        if (response.classification().kind() != Classification.Kind.SUCCESS) {
            throw calls.failure(call.mapped().request().call(), response, true);
        }
        return mapResult(call.mapped(), call.action(), call.integration(), response, call.input());
    }

    private ActionDefinition.Compiled lookUp(String actionName) {
        if (actionName == null || actionName.isBlank()) {
            throw Failure.invalidInput("invalid_request", "The body must name the action to run in 'action' (or 'tool').");
        }
        return catalog.action(actionName).orElseThrow(() -> {
            String renamed = catalog.renamedTo(actionName).orElse(null);
            if (renamed != null) {
                return Failure.invalidInput("unknown_action", "Unknown action " + Echo.quote(actionName) + "; it is now '" + renamed
                        + "' (ActionKit's name), with ActionKit's parameters.").withDetail("renamedTo", renamed);
            }
            // Only a name of the same integration: a guess from another would send the caller to the wrong vendor.
            String closest = Suggestions.closest(actionName, catalog.actionNamesLike(actionName));
            return Failure.invalidInput("unknown_action", "Unknown action " + Echo.quote(actionName)
                    + (closest == null ? "." : "; did you mean '" + closest + "'?"));
        });
    }

    /**
     * An action of one record type as it is for the user's account (its oldest valid one), for listings: the
     * vendor's field list is read (and kept, as for runs) in a run of its own, recorded as {@code LIST_ACTIONS}.
     *
     * @param reload read the account's fields again rather than use those kept
     */
    public ActionDefinition.Compiled forAccount(UserPrincipal user, ActionDefinition.Compiled action, boolean reload, String requestId) {
        ActionDefinition.AccountFieldInputs fields = action.definition().accountFields();
        if (fields == null || fields.describe() || fields.recordType() == null) {
            return action;
        }
        return calls.recorded(user, requestId, "LIST_ACTIONS", run -> {
            run.identify("LIST_ACTIONS", action.integration());
            AccountSelector.Account account = calls.select(run, user, action.integration(), null);
            if (reload) {
                accountFields.forget(recordType(action, Json.object()), account);
            }
            return accountFields.forAccount(run, integrationOf(action), action, recordType(action, Json.object()), account);
        }, result -> 200);
    }

    private IntegrationDefinition integrationOf(ActionDefinition.Compiled action) {
        return catalog.integration(action.integration()).orElseThrow();
    }

    /**
     * What names the record type whose fields the action takes: its own {@code recordType}, or the inputs the
     * integration's field list path names (the input {@code recordType}; Jira's {@code projectKey} and {@code issueTypeId}).
     */
    private Map<String, String> recordType(ActionDefinition.Compiled action, JsonNode input) {
        String fixed = action.definition().accountFields().recordType();
        if (fixed != null) {
            return Map.of(ActionDefinition.AccountFieldInputs.RECORD_TYPE_INPUT, fixed);
        }
        Map<String, String> values = new java.util.LinkedHashMap<>();
        integrationOf(action).accountFields().pathInputs().forEach(name -> values.put(name, input.get(name).asString()));
        return values;
    }

    /**
     * A describe action's answer: the parameters the described action takes for this account and record type, as
     * the JSON Schema a listing gives, so that an agent can fill them in.
     */
    private JsonNode describe(VendorCalls.RunInProgress run, ActionDefinition.AccountFieldInputs fields, JsonNode input, AccountSelector.Account account) {
        String operation = input.get("operation").asString();
        ActionDefinition.Compiled described = catalog.action(fields.describes().get(operation)).orElseThrow();
        Map<String, String> recordType = recordType(described, input);
        ActionDefinition.Compiled forAccount = accountFields.forAccount(run, integrationOf(described), described, recordType, account);
        ObjectNode answer = Json.object();
        recordType.forEach(answer::put);
        answer.put("operation", operation).put("action", described.name());
        answer.set("schema", forAccount.schema().deepCopy());
        return answer;
    }

    /** @param input the action's parameters, validated */
    private JsonNode callVendor(VendorCalls.RunInProgress run, ActionDefinition.Compiled action, JsonNode input, Credential credential,
                                IntegrationConfig config) {
        ActionProgram program = ActionPrograms.of(action.definition().program()).orElse(null);
        if (program != null) {
            JsonNode programInput = input;
            if (!action.definition().fixed().isEmpty()) {
                // A program shared by several actions learns from their fixed values which one it runs as (an object type).
                ObjectNode withFixed = (ObjectNode) input.deepCopy();
                action.definition().fixed().forEach((name, value) -> {
                    if (!withFixed.has(name)) {
                        withFixed.set(name, Json.tree(value));
                    }
                });
                programInput = withFixed;
            }
            return program.run(programInput, (name, parameters) -> {
                ActionDefinition.Compiled step = catalog.action(name).orElseThrow();
                InputValidator.validate(step, parameters, false);
                return callVendor(run, step, parameters, credential, config);
            });
        }
        IntegrationDefinition integration = catalog.integration(action.integration()).orElseThrow();
        Map<String, String> urls = VendorUrls.of(integration, config);
        Map<String, String> values = Placeholders.values(integration, credential);
        String base = Placeholders.fill(urls.get(action.definition().base()), values, true);
        String protocolName = action.definition().protocol() != null ? action.definition().protocol() : integration.protocol();
        Map<String, JsonNode> read = action.definition().readFirst() == null ? Map.of()
                : readFirst(run, action, input, base, calls.call(integration, credential, true, protocolName));
        VendorProtocol.Mapped mapped = mapSingleCall(action, input, credential, config, integration, read);
        VendorResponse response = calls.send(run, mapped.request());
        if (action.definition().returnsFile() && response.status() / 100 == 3 && response.header("Location") != null) {
            response = followDownload(run, mapped.request(), response, urls, values);
        }
        if (response.classification().kind() != Classification.Kind.SUCCESS) {
            throw calls.failure(mapped.request().call(), response, true);
        }
        JsonNode result = mapResult(mapped, action, integration, response, input);
        ActionDefinition.AttachFile attach = action.definition().attachFile();
        if (attach != null && input.path(attach.when()).asBoolean(false) && result instanceof ObjectNode answer) {
            answer.set(attach.into(), fileOf(run, attach, input, base, mapped.request().call(), answer));
        }
        return result;
    }

    /** The action's vendor request (in its protocol, where it speaks one), with the values a read-first GET gave. */
    private VendorProtocol.Mapped mapSingleCall(ActionDefinition.Compiled action, JsonNode input, Credential credential, IntegrationConfig config,
                                                IntegrationDefinition integration, Map<String, JsonNode> read) {
        Map<String, String> values = Placeholders.values(integration, credential);
        String apiBase = Placeholders.fill(VendorUrls.url(integration, config, "api"), values, true);
        String base = Placeholders.fill(VendorUrls.url(integration, config, action.definition().base()), values, true);
        boolean safeToRepeat = action.definition().isRead() || action.definition().idempotent() || integration.auth().idempotencyKeyHeader() != null;
        // An action may speak a protocol of its own (Salesforce's SOAP lead conversion) beside its integration's.
        String protocolName = action.definition().protocol() != null ? action.definition().protocol() : integration.protocol();
        VendorCall call = calls.call(integration, credential, safeToRepeat, protocolName);
        return Protocols.named(protocolName)
                .map(protocol -> protocol.map(action, input, apiBase, call, config))
                .orElseGet(() -> VendorRequestMapper.map(action, input, base, call, read));
    }

    /** The file an action's {@code attachFile} fetches, as a File object named as the answer names it. */
    private JsonNode fileOf(VendorCalls.RunInProgress run, ActionDefinition.AttachFile attach, JsonNode input, String base, VendorCall call,
                            ObjectNode answer) {
        VendorRequest request = VendorRequestMapper.get(attach.path(), input, base, calls.call(call.integration(), call.credential(), true, false), "*/*");
        VendorResponse response = calls.sendExpectingSuccess(run, request, true);
        String name = fileName(response) != null ? fileName(response) : answer.path("name").asString(null);
        return FileObjects.result(mimeType(response), name, FileBytes.of(response.body()));
    }

    /** The value of the first of these headers present in a list of {@code {"name", "value"}} (names compared ignoring case). */
    private static JsonNode header(JsonNode list, List<String> names) {
        for (String name : names) {
            for (JsonNode header : list) {
                if (header.path("name").asString("").equalsIgnoreCase(name)) {
                    return header.get("value");
                }
            }
        }
        return null;
    }

    /** The values an action's {@code readFirst} GET gives, by vendor field name (or, where it says so, by input). */
    private Map<String, JsonNode> readFirst(VendorCalls.RunInProgress run, ActionDefinition.Compiled action, JsonNode input, String base, VendorCall call) {
        VendorRequest request = VendorRequestMapper.get(action.definition().readFirst().path(), input, base,
                calls.call(call.integration(), call.credential(), true, false), "application/json");
        VendorResponse response = calls.sendExpectingSuccess(run, request, true);
        JsonNode answer = response.json();
        Map<String, JsonNode> values = new TreeMap<>();
        action.definition().readFirst().values().forEach((field, where) -> {
            JsonNode value = answer == null ? null : where.headers() == null ? answer.at(where.pointer()) : header(answer.at(where.pointer()), where.headers());
            if (value == null || value.isMissingNode() || value.isNull() || (where.add() != null && !value.canConvertToLong())) {
                if (Boolean.TRUE.equals(where.optional())) {
                    return;
                }
                throw new Failure(Failure.Kind.VENDOR_FAILED, "integration_response_unreadable", call.integration().name()
                        + "'s answer to " + request.method() + " " + request.uri().getRawPath() + " has no " + where.pointer() + ".");
            }
            if (where.add() != null) {
                value = Json.MAPPER.getNodeFactory().numberNode(value.asLong() + where.add());
            }
            if (where.prefix() != null && !value.asString().regionMatches(true, 0, where.prefix().strip(), 0, where.prefix().strip().length())) {
                value = Json.MAPPER.getNodeFactory().stringNode(where.prefix() + value.asString());
            }
            if (where.intoInput()) {
                // An input the caller left out takes the read value (a reply's recipient and subject); the caller's wins.
                if (input instanceof ObjectNode object && !object.has(field)) {
                    object.set(field, value);
                }
                return;
            }
            values.put(field, value);
        });
        return values;
    }

    /**
     * Vendors answer a download with a redirect to their file host (Box to dl.boxcloud.com). It is followed once,
     * only to one of the integration's configured URLs, and without the credential.
     */
    private VendorResponse followDownload(VendorCalls.RunInProgress run, VendorRequest sent, VendorResponse redirect, Map<String, String> urls,
                                          Map<String, String> values) {
        URI location = sent.uri().resolve(redirect.header("Location"));
        if (!VendorUrls.onOneOf(location, VendorUrls.filled(urls, values).values()) || location.getRawUserInfo() != null) {
            throw new Failure(Failure.Kind.VENDOR_FAILED, "integration_error", sent.call().integration().name()
                    + " redirected the download to a host that is not one of its configured URLs.");
        }
        VendorCall anonymous = new VendorCall(sent.call().integration(), null, true, sent.call().deadlineNanos(), false);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Accept", List.of("*/*"));
        return calls.send(run, new VendorRequest(anonymous, "GET", location, headers, null));
    }

    /**
     * A GraphQL mutation's refusals in a successful answer ({@code userErrors}: the email taken, a field invalid):
     * the action fails as the vendor's refusal, each refusal said with the field it names.
     */
    private static void refuseOnUserErrors(JsonNode refusals, IntegrationDefinition integration, VendorResponse response) {
        if (!refusals.isArray() || refusals.isEmpty()) {
            return;
        }
        List<String> said = new java.util.ArrayList<>();
        for (JsonNode refusal : refusals) {
            JsonNode field = refusal.path("field");
            String where = field.isArray() ? String.join(".", field.valueStream().map(JsonNode::asString).toList()) : field.asString("");
            said.add((where.isEmpty() ? "" : where + ": ") + refusal.path("message").asString(refusal.toString()));
        }
        throw new Failure(Failure.Kind.VENDOR_REFUSED, "integration_error", integration.name() + " refused it: " + String.join("; ", said) + ".")
                .fromVendor(Failure.VendorAnswer.of(response.status(), response.json(), response.body()));
    }

    private static JsonNode mapResult(VendorProtocol.Mapped mapped, ActionDefinition.Compiled action,
                                      IntegrationDefinition integration, VendorResponse response, JsonNode input) {
        if (action.definition().returnsFile()) {
            String name = fileName(response);
            ActionDefinition.FileNameFrom from = action.definition().fileName();
            if (name == null && from != null && response.header(from.header()) != null) {
                try {
                    name = Json.MAPPER.readTree(response.header(from.header())).at(from.pointer()).asString(null);
                } catch (RuntimeException notJson) {
                    name = null; // a name is a nicety: the bytes are the answer
                }
            }
            return FileObjects.result(mimeType(response), name, FileBytes.of(response.body()));
        }
        JsonNode body = response.json();
        if (body == null && response.body().length > 0) {
            throw new Failure(Failure.Kind.VENDOR_FAILED, "integration_response_unreadable", integration.name() + " answered with a body that is not JSON.");
        }
        if (body != null && action.definition().answer() != null) {
            // The part of the vendor's answer that is the action's (GraphQL's data under the operation's root field).
            body = body.at(action.definition().answer());
            if (body.isNull()) {
                // GraphQL's answer to a record that does not exist (Shopify's order(id:) is null).
                throw new Failure(Failure.Kind.NOT_FOUND, "record_not_found", integration.name() + " has no such record: its answer at "
                        + action.definition().answer() + " is null.").fromVendor(Failure.VendorAnswer.of(response.status(), response.json(), response.body()));
            }
            if (body.isMissingNode()) {
                throw new Failure(Failure.Kind.VENDOR_FAILED, "integration_response_unreadable", integration.name()
                        + " answered without " + action.definition().answer() + ", which this action answers.");
            }
        }
        if (body != null && action.definition().userErrors() != null) {
            refuseOnUserErrors(body.at(action.definition().userErrors()), integration, response);
        }
        if (action.definition().fileFromAnswer() != null) {
            return fileFromAnswer(action.definition().fileFromAnswer(), body, input, integration);
        }
        if (body != null && !body.isObject() && mapped.pages() == null) {
            return body; // a JSON array stays one (MCP wraps it: its structured results are objects)
        }
        // A list action's array goes under data, beside the page cursor every list answer carries.
        ObjectNode result = body == null ? Json.object() : body.isObject() ? (ObjectNode) body : Json.object().set("data", body);
        if (!action.definition().keepRecords().isEmpty() && result.at(action.definition().records()) instanceof tools.jackson.databind.node.ArrayNode records) {
            keepMatching(records, action.definition().keepRecords(), input);
        }
        if (mapped.pages() != null) {
            mapped.pages().annotate(result, response);
        }
        return result;
    }

    /** The file whose bytes the answer carries as text, as a File object named by the inputs. */
    private static JsonNode fileFromAnswer(ActionDefinition.FileFromAnswer spec, JsonNode body, JsonNode input, IntegrationDefinition integration) {
        JsonNode data = body == null ? null : body.at(spec.data());
        byte[] bytes;
        try {
            String text = data == null || !data.isString() ? null : data.asString();
            bytes = text == null ? null : "base64".equals(spec.encoding()) ? java.util.Base64.getMimeDecoder().decode(text)
                    : java.util.Base64.getUrlDecoder().decode(text.replace("=", ""));
        } catch (IllegalArgumentException e) {
            bytes = null;
        }
        if (bytes == null) {
            throw new Failure(Failure.Kind.VENDOR_FAILED, "integration_response_unreadable", integration.name()
                    + "'s answer has no file at " + spec.data() + ".");
        }
        String name = spec.name() == null ? null : input.path(spec.name()).asString(null);
        String mimeType = spec.mimeType() == null ? null : input.path(spec.mimeType()).asString(null);
        return FileObjects.result(mimeType == null ? "application/octet-stream" : mimeType, name, FileBytes.of(bytes));
    }

    /** Keeps the records for which one clause with a given input holds: its text contains the input's, ignoring case. */
    private static void keepMatching(tools.jackson.databind.node.ArrayNode records, List<ActionDefinition.KeepClause> clauses, JsonNode input) {
        for (int i = records.size() - 1; i >= 0; i--) {
            JsonNode record = records.get(i);
            boolean kept = false;
            for (ActionDefinition.KeepClause clause : clauses) {
                JsonNode wanted = input.get(clause.contains());
                kept |= wanted != null && wanted.isString() && record.at(clause.pointer()).isString()
                        && record.at(clause.pointer()).asString().toLowerCase(java.util.Locale.ROOT).contains(wanted.asString().toLowerCase(java.util.Locale.ROOT));
            }
            if (!kept) {
                records.remove(i);
            }
        }
    }

    private static String mimeType(VendorResponse response) {
        String type = response.header("Content-Type");
        return type == null || type.isBlank() ? "application/octet-stream" : type.split(";")[0].strip();
    }

    /** The file name of {@code Content-Disposition}, preferring the UTF-8 {@code filename*} form. */
    private static String fileName(VendorResponse response) {
        String disposition = response.header("Content-Disposition");
        if (disposition == null) {
            return null;
        }
        Matcher extended = EXTENDED_FILENAME.matcher(disposition);
        if (extended.find()) {
            return java.net.URLDecoder.decode(extended.group(1).strip(), StandardCharsets.UTF_8);
        }
        Matcher plain = PLAIN_FILENAME.matcher(disposition);
        return plain.find() ? plain.group(1).strip() : null;
    }
}
