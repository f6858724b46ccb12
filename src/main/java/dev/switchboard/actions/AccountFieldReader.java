package dev.switchboard.actions;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.calls.AccountSelector;
import dev.switchboard.calls.VendorCalls;
import dev.switchboard.integrations.AccountFieldSchemas;
import dev.switchboard.integrations.ActionDefinition;
import dev.switchboard.integrations.IntegrationDefinition;
import dev.switchboard.json.Json;
import dev.switchboard.mapping.VendorRequestMapper;
import dev.switchboard.mapping.VendorUrls;
import dev.switchboard.outbound.Placeholders;
import dev.switchboard.outbound.VendorCall;
import dev.switchboard.outbound.VendorRequest;
import dev.switchboard.outbound.VendorResponse;
import dev.switchboard.outcomes.Echo;
import dev.switchboard.outcomes.Failure;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Reads the fields an account has for a record type, through the same vendor-call path as actions, and keeps them
 * and the actions built from them, per account and record type, for
 * {@link #KEPT_FOR}, as ActionKit keeps a user's fields for eight hours: a CRM's field list costs the account API
 * credits, and changes rarely.
 */
public final class AccountFieldReader {
    static final Duration KEPT_FOR = Duration.ofHours(8);

    private final VendorCalls calls;
    /**
     * The vendor's field list of one account and record type, and the actions built from it by name: the create and
     * update actions of a type share one read, and forgetting the list forgets what was built from it.
     */
    private record FieldList(JsonNode fields, Map<String, ActionDefinition.Compiled> built) {}

    private final Cache<String, FieldList> fieldLists = Caffeine.newBuilder()
            .maximumSize(5_000).expireAfterWrite(KEPT_FOR).build();

    public AccountFieldReader(VendorCalls calls) {
        this.calls = calls;
    }

    /**
     * The action as it is for this account and record type: its own parameters and the account's fields.
     *
     * @param recordType the values of the placeholders of the integration's field list path ({@code recordType}, or
     *                   Jira's {@code projectKey} and {@code issueTypeId})
     */
    public ActionDefinition.Compiled forAccount(VendorCalls.RunInProgress run, IntegrationDefinition integration, ActionDefinition.Compiled action,
                                                Map<String, String> recordType, AccountSelector.Account account) {
        String key = key(recordType, account);
        FieldList list = fieldLists.getIfPresent(key);
        if (list == null) {
            // Read outside the cache's lock: a slow vendor must not hold up other accounts' lookups.
            list = new FieldList(read(run, integration, recordType, account), new java.util.concurrent.ConcurrentHashMap<>());
            fieldLists.put(key, list);
        }
        JsonNode fields = list.fields();
        return list.built().computeIfAbsent(action.name(), name -> AccountFieldSchemas.forAccount(integration, action, fields));
    }

    /** Drops what is kept for this account and record type, for every action: the next use reads the fields again. */
    public void forget(Map<String, String> recordType, AccountSelector.Account account) {
        fieldLists.invalidate(key(recordType, account));
    }

    private static String key(Map<String, String> recordType, AccountSelector.Account account) {
        return account.credential().id() + "\n" + new java.util.TreeMap<>(recordType);
    }

    private JsonNode read(VendorCalls.RunInProgress run, IntegrationDefinition integration, Map<String, String> recordType,
                          AccountSelector.Account account) {
        Map<String, String> values = Placeholders.values(integration, account.credential());
        String api = Placeholders.fill(VendorUrls.of(integration, account.config()).get("api"), values, true);
        VendorCall call = calls.call(integration, account.credential(), true, false);
        tools.jackson.databind.node.ObjectNode pathValues = Json.object();
        recordType.forEach(pathValues::put);
        VendorRequest request = VendorRequestMapper.get(integration.accountFields().path(), pathValues, api, call, "application/json");
        // Field metadata takes a scope of its own (Zoho's settings.fields): a refusal here leaves the account usable.
        VendorResponse response = calls.sendExpectingSuccess(run, request, false);
        JsonNode answer = response.json();
        JsonNode list = answer == null ? null : answer.at(integration.accountFields().list());
        if (list == null || !(list.isArray() || list.isObject())) {
            String named = String.join(", ", recordType.keySet().stream().map(name -> "parameters." + name).toList());
            throw Failure.invalidInput("invalid_parameters", named + ": " + integration.name() + " lists no fields for "
                    + Echo.quote(String.join(" ", recordType.values())) + " in this account: name a record type it has, by its API name.");
        }
        return answer;
    }
}
