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
 * (per account and record type) and the actions built from them (per account, action and record type) for
 * {@link #KEPT_FOR}, as ActionKit keeps a user's fields for eight hours: a CRM's field list costs the account API
 * credits, and changes rarely.
 */
public final class AccountFieldReader {
    static final Duration KEPT_FOR = Duration.ofHours(8);

    private final VendorCalls calls;
    /** The vendor's field lists, by account and record type: the create and update actions of a type share one read. */
    private final Cache<String, JsonNode> fieldLists = Caffeine.newBuilder()
            .maximumSize(5_000).expireAfterWrite(KEPT_FOR).build();
    private final Cache<String, ActionDefinition.Compiled> forAccounts = Caffeine.newBuilder()
            .maximumSize(20_000).expireAfterWrite(KEPT_FOR).build();

    public AccountFieldReader(VendorCalls calls) {
        this.calls = calls;
    }

    /** The action as it is for this account and record type: its own parameters and the account's fields. */
    public ActionDefinition.Compiled forAccount(VendorCalls.RunInProgress run, IntegrationDefinition integration, ActionDefinition.Compiled action,
                                                String recordType, AccountSelector.Account account) {
        String key = key(action, recordType, account);
        ActionDefinition.Compiled kept = forAccounts.getIfPresent(key);
        if (kept != null) {
            return kept;
        }
        // Read outside the cache's lock: a slow vendor must not hold up other accounts' lookups.
        String listKey = account.credential().id() + "\n" + recordType;
        JsonNode fields = fieldLists.getIfPresent(listKey);
        if (fields == null) {
            fields = read(run, integration, recordType, account);
            fieldLists.put(listKey, fields);
        }
        ActionDefinition.Compiled built = AccountFieldSchemas.forAccount(integration, action, fields);
        forAccounts.put(key, built);
        return built;
    }

    /** Drops what is kept for this account and record type, for every action: the next use reads the fields again. */
    public void forget(String recordType, AccountSelector.Account account) {
        fieldLists.invalidate(account.credential().id() + "\n" + recordType);
        String prefix = account.credential().id() + "\n";
        String suffix = "\n" + recordType;
        forAccounts.asMap().keySet().removeIf(key -> key.startsWith(prefix) && key.endsWith(suffix));
    }

    private static String key(ActionDefinition.Compiled action, String recordType, AccountSelector.Account account) {
        return account.credential().id() + "\n" + action.name() + "\n" + recordType;
    }

    private JsonNode read(VendorCalls.RunInProgress run, IntegrationDefinition integration, String recordType, AccountSelector.Account account) {
        Map<String, String> values = Placeholders.values(integration, account.credential());
        String api = Placeholders.fill(VendorUrls.of(integration, account.config()).get("api"), values, true);
        VendorCall call = calls.call(integration, account.credential(), true, false);
        VendorRequest request = VendorRequestMapper.get(integration.accountFields().path(),
                Json.object().put(ActionDefinition.AccountFieldInputs.RECORD_TYPE_INPUT, recordType), api, call, "application/json");
        // Field metadata takes a scope of its own (Zoho's settings.fields): a refusal here leaves the account usable.
        VendorResponse response = calls.sendExpectingSuccess(run, request, false);
        JsonNode answer = response.json();
        if (answer == null || !answer.at(integration.accountFields().list()).isArray()) {
            throw Failure.invalidInput("invalid_parameters", "parameters.recordType: " + integration.name() + " lists no fields for "
                    + Echo.quote(recordType) + " in this account: name a record type it has, by its API name.");
        }
        return answer;
    }
}
