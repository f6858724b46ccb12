package dev.switchboard.actions;

import dev.switchboard.auth.UserPrincipal;
import dev.switchboard.integrations.ActionDefinition;
import dev.switchboard.integrations.IntegrationCatalog;
import dev.switchboard.integrations.IntegrationDefinition;
import dev.switchboard.json.Json;
import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import dev.switchboard.store.CredentialStore;
import dev.switchboard.store.IntegrationConfigRepository;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code GET /actions} and {@code GET /tools}: the actions a user may run, as function schemas or Paragon form inputs. */
public final class ActionLister {
    public enum Format { JSON_SCHEMA, PARAGON }

    /**
     * @param integrations only these keys, or null for all
     * @param categories   only integrations in one of these categories, or null for all
     */
    public record Query(Format format, boolean limitToAvailable, Set<String> integrations, Set<String> categories, boolean reloadFields) {
        /**
         * @param reloadFields ActionKit's {@code reload_fields}: read the connected accounts' own fields again rather
         *                     than use those kept
         */
        public static Query parse(String format, String limitToAvailable, String integrations, String categories, String reloadFields) {
            Format f = switch (format == null ? "json_schema" : format) {
                case "json_schema" -> Format.JSON_SCHEMA;
                case "paragon" -> Format.PARAGON;
                default -> throw Failure.invalidInput("invalid_query", "format must be json_schema or paragon, not " + Echo.quote(format));
            };
            boolean limit = switch (limitToAvailable == null ? "true" : limitToAvailable) {
                case "true" -> true;
                case "false" -> false;
                default -> throw Failure.invalidInput("invalid_query", "limit_to_available must be true or false");
            };
            boolean reload = switch (reloadFields == null ? "false" : reloadFields) {
                case "true" -> true;
                case "false" -> false;
                default -> throw Failure.invalidInput("invalid_query", "reload_fields must be true or false");
            };
            return new Query(f, limit, csv(integrations), csv(categories), reload);
        }

        private static Set<String> csv(String value) {
            if (value == null || value.isBlank()) {
                return null;
            }
            return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        }
    }

    /**
     * How long a listing waits on a vendor for an account's fields (a CRM's describe can take seconds): past it, the
     * actions are listed as for everyone, and the read goes on to fill what is kept.
     */
    public static final Duration FIELDS_WAIT = Duration.ofSeconds(2);
    private static final java.util.concurrent.Executor BACKGROUND = java.util.concurrent.Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("switchboard-account-fields-", 0).factory());

    private final IntegrationCatalog catalog;
    private final IntegrationConfigRepository configs;
    private final CredentialStore credentials;
    private final ActionRunner runner;
    /** Each integration's listing by format, written once. */
    private final Map<String, byte[]> listings = new ConcurrentHashMap<>();
    /** Whether an integration has actions of one record type whose parameters include a connected account's fields. */
    private final Map<String, Boolean> takesAccountFields = new ConcurrentHashMap<>();
    /** The reads of a user's account fields under way, by project, user and integration. */
    private final Map<String, CompletableFuture<ForAccount>> reading = new ConcurrentHashMap<>();

    /** @param runner reads a connected account's own fields, for the actions whose parameters they are */
    public ActionLister(IntegrationCatalog catalog, IntegrationConfigRepository configs, CredentialStore credentials, ActionRunner runner) {
        this.catalog = catalog;
        this.configs = configs;
        this.credentials = credentials;
        this.runner = runner;
    }

    /**
     * The integrations a listing shows: enabled in the project, allowed to the user, matching the query's filters,
     * and (with {@code limitToAvailable}) connected.
     */
    public List<String> listedIntegrations(UserPrincipal user, Query query) {
        user.requireActionKit();
        Set<String> connected = query.limitToAvailable()
                ? credentials.integrationsWithValidCredential(user.projectId(), user.userId())
                : null;
        List<String> listed = new ArrayList<>();
        for (IntegrationConfigRepository.IntegrationConfig config : configs.listEnabled(user.projectId())) {
            String key = config.integration();
            IntegrationDefinition definition = catalog.integration(key).orElse(null);
            if (definition == null
                    || !user.mayUseIntegration(key)
                    || (query.integrations() != null && !query.integrations().contains(key))
                    || (query.categories() != null && definition.categories().stream().noneMatch(query.categories()::contains))
                    || (connected != null && !connected.contains(key))) {
                continue;
            }
            listed.add(key);
        }
        return listed;
    }

    /**
     * The listing as JSON, {@code {"<listKey>": {"<integration>": [...]}, "errors": [...]}}.
     *
     * @param listKey {@code actions} or {@code tools}, after the path that was called
     * @return the listing; each integration's part is written once per format and kept (the catalog does not change
     *         while the server runs), so a listing of hundreds of actions costs little more than copying its bytes
     */
    public byte[] listJson(UserPrincipal user, Query query, String listKey, String requestId) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(8192);
        out.writeBytes(("{" + Json.write(Json.MAPPER.getNodeFactory().stringNode(listKey)) + ":{").getBytes(StandardCharsets.UTF_8));
        boolean first = true;
        ArrayNode errors = Json.MAPPER.createArrayNode();
        Set<String> connected = null;
        for (String key : listedIntegrations(user, query)) {
            if (!first) {
                out.write(',');
            }
            first = false;
            out.writeBytes((Json.write(Json.MAPPER.getNodeFactory().stringNode(key)) + ":").getBytes(StandardCharsets.UTF_8));
            if (takesAccountFields(key) && (connected = connected != null ? connected
                    : credentials.integrationsWithValidCredential(user.projectId(), user.userId())).contains(key)) {
                out.writeBytes(Json.write(describeForAccount(user, key, query.format(), query.reloadFields(), requestId, errors)).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            out.writeBytes(listings.computeIfAbsent(query.format() + ":" + key,
                    k -> Json.write(describe(key, query.format())).getBytes(StandardCharsets.UTF_8)));
        }
        for (IntegrationCatalog.LoadError error : catalog.errors()) {
            if (query.integrations() == null || query.integrations().contains(error.integration())) {
                errors.add(Json.object().put("integration", error.integration()).put("message", error.message()));
            }
        }
        out.writeBytes(("},\"errors\":" + Json.write(errors) + "}").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** An integration's actions, as function schemas or Paragon form inputs. */
    public ArrayNode describe(String integration, Format format) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (ActionDefinition.Compiled action : catalog.actionsOf(integration)) {
            list.add(format == Format.PARAGON ? ParagonFormat.describe(action) : functionSchema(action));
        }
        return list;
    }

    /**
     * Whether this user's listing of the integration differs from everyone's: it has actions of one record type whose
     * parameters include the account's own fields, and the user has connected an account.
     */
    public boolean differsForUser(UserPrincipal user, String integration) {
        return takesAccountFields(integration) && credentials.integrationsWithValidCredential(user.projectId(), user.userId()).contains(integration);
    }

    private boolean takesAccountFields(String integration) {
        return takesAccountFields.computeIfAbsent(integration, key -> catalog.actionsOf(key).stream().anyMatch(ActionLister::ofOneRecordType));
    }

    private static boolean ofOneRecordType(ActionDefinition.Compiled action) {
        ActionDefinition.AccountFieldInputs fields = action.definition().accountFields();
        return fields != null && !fields.describe() && fields.recordType() != null;
    }

    /**
     * An integration's actions as they are for the user's account: those of one record type (ZOHO_CRM_CREATE_RECORD_LEADS)
     * take the account's own fields, read from the vendor or kept from an earlier read. When the vendor cannot be
     * read, the actions are listed as for everyone and {@code errors} says why.
     */
    public ArrayNode describeForAccount(UserPrincipal user, String integration, Format format, boolean reload, String requestId, ArrayNode errors) {
        List<ActionDefinition.Compiled> actions = catalog.actionsOf(integration);
        // The reads go on without the listing: past the wait, they fill what is kept for the next listing and run.
        // A listing made while the user's are still being read waits on those, rather than start more.
        String key = user.projectId() + "\n" + user.userId() + "\n" + integration;
        CompletableFuture<ForAccount> read = reading.computeIfAbsent(key, k -> CompletableFuture.supplyAsync(() -> {
            try {
                return forAccount(user, integration, actions, reload, requestId);
            } finally {
                reading.remove(k); // waits for computeIfAbsent to have put it, should the read be that quick
            }
        }, BACKGROUND));
        List<ActionDefinition.Compiled> shown;
        try {
            ForAccount done = read.get(FIELDS_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            shown = done.actions();
            errors.addAll(done.messages());
        } catch (TimeoutException slow) {
            shown = actions;
            errors.add(Json.object().put("integration", integration).put("message", "The account's own fields are still being read from "
                    + catalog.integration(integration).map(IntegrationDefinition::name).orElse(integration) + " after "
                    + FIELDS_WAIT.toMillis() + " ms, so its actions are listed without them; list again shortly to have them."));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        } catch (ExecutionException failed) {
            throw failed.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(failed.getCause());
        }
        ArrayNode list = Json.MAPPER.createArrayNode();
        shown.forEach(action -> list.add(format == Format.PARAGON ? ParagonFormat.describe(action) : functionSchema(action)));
        return list;
    }

    /** An integration's actions for an account, and why the account's fields could not be read, if they could not. */
    private record ForAccount(List<ActionDefinition.Compiled> actions, ArrayNode messages) {}

    /** The integration's actions, those of one record type with the account's fields. */
    private ForAccount forAccount(UserPrincipal user, String integration, List<ActionDefinition.Compiled> actions, boolean reload, String requestId) {
        ArrayNode messages = Json.MAPPER.createArrayNode();
        List<ActionDefinition.Compiled> shown = new ArrayList<>(actions.size());
        boolean readable = true;
        Set<String> reloaded = new java.util.HashSet<>();
        for (ActionDefinition.Compiled action : actions) {
            ActionDefinition.Compiled forAccount = action;
            if (readable && ofOneRecordType(action)) {
                try {
                    // The create and update actions of a record type share one read, reloaded once.
                    forAccount = runner.forAccount(user, action, reload && reloaded.add(action.definition().accountFields().recordType()), requestId);
                } catch (Failure failure) {
                    readable = false; // one failed read is enough: the others would wait on the same vendor
                    messages.add(Json.object().put("integration", integration).put("message", "The account's own fields could not be read for "
                            + action.name() + ", so its actions are listed without them: " + failure.getMessage()));
                }
            }
            shown.add(forAccount);
        }
        return new ForAccount(shown, messages);
    }

    static ObjectNode functionSchema(ActionDefinition.Compiled action) {
        ObjectNode tool = Json.object().put("type", "function");
        tool.putObject("function")
                .put("name", action.name())
                .put("description", action.definition().description())
                .set("parameters", action.schema().deepCopy());
        return tool;
    }
}
