package dev.switchboard.store;

import dev.switchboard.crypto.SecretBox;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;

/**
 * Every column that holds a value sealed by the {@link SecretBox}, with how its row names the value's context. Key
 * rotation re-seals them; a restore checks that the configured keys open them. A new sealed column is added here.
 */
public final class SealedColumns {
    private record Column(String table, List<String> keys, String column, Function<Map<String, String>, String> context) {}

    private static final List<Column> COLUMNS = List.of(
            new Column("credentials", List.of("id"), "access_token_enc", row -> CredentialStore.context(row.get("id"), "access_token")),
            new Column("credentials", List.of("id"), "refresh_token_enc", row -> CredentialStore.context(row.get("id"), "refresh_token")),
            new Column("credentials", List.of("id"), "api_key_enc", row -> CredentialStore.context(row.get("id"), "api_key")),
            new Column("integration_configs", List.of("project_id", "integration"), "client_secret_enc",
                    row -> IntegrationConfigRepository.secretContext(row.get("project_id"), row.get("integration"))),
            new Column("idempotency_keys", List.of("project_id", "user_id", "idem_key"), "outcome_enc",
                    row -> IdempotencyKeys.context(row.get("project_id"), row.get("user_id"), row.get("idem_key"))),
            new Column("integration_configs", List.of("project_id", "integration"), "signing_secret_enc",
                    row -> IntegrationConfigRepository.signingSecretContext(row.get("project_id"), row.get("integration"))),
            new Column("projects", List.of("id"), "trigger_webhook_secret_enc", row -> TriggerWebhookRepository.context(row.get("id"))),
            new Column("oauth_states", List.of("state"), "code_verifier_enc", row -> OAuthStates.context(row.get("state"))));

    private static final int BATCH = 500;

    private SealedColumns() {}

    /** How many stored values each key id sealed. */
    public static Map<String, Integer> countByKey(Jdbi jdbi) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Column column : COLUMNS) {
            jdbi.useHandle(h -> h.createQuery("SELECT " + column.column() + " FROM " + column.table() + " WHERE " + column.column() + " IS NOT NULL")
                    .mapTo(String.class).forEach(sealed -> counts.merge(String.valueOf(SecretBox.keyIdOf(sealed)), 1, Integer::sum)));
        }
        return counts;
    }

    /** What a rotation did: values re-sealed under the active key, and those it could not open (their key ids). */
    public record Rotation(int resealed, Map<String, Integer> unopenedByKey) {}

    /**
     * Re-seals every stored value not sealed under the box's active key, a batch at a time while nodes keep serving:
     * each value is replaced only if it is still the one read (a node that wrote a new one meanwhile wrote it under the
     * active key already, since nodes are given the new key first). Running it again does nothing more.
     */
    public static Rotation reseal(Jdbi jdbi, SecretBox box) {
        int resealed = 0;
        Map<String, Integer> unopened = new TreeMap<>();
        String current = "v1." + box.activeKeyId() + ".%";
        for (Column column : COLUMNS) {
            String keys = String.join(", ", column.keys());
            String select = "SELECT " + keys + ", " + column.column() + " FROM " + column.table() + " WHERE " + column.column()
                    + " IS NOT NULL AND " + column.column() + " NOT LIKE :current ORDER BY " + keys + " LIMIT " + BATCH + " OFFSET :skip";
            String where = String.join(" AND ", column.keys().stream().map(k -> k + " = :" + k).toList());
            String update = "UPDATE " + column.table() + " SET " + column.column() + " = :resealed WHERE " + where + " AND "
                    + column.column() + " = :sealed";
            int skipped = 0; // rows that cannot be opened stay behind; the next batch starts past them
            while (true) {
                int skip = skipped;
                List<Map<String, String>> rows = jdbi.withHandle(h -> h.createQuery(select).bind("current", current).bind("skip", skip)
                        .map((rs, ctx) -> {
                            Map<String, String> row = new TreeMap<>();
                            for (int i = 1; i <= column.keys().size() + 1; i++) {
                                row.put(rs.getMetaData().getColumnName(i).toLowerCase(java.util.Locale.ROOT), rs.getString(i));
                            }
                            return row;
                        }).list());
                if (rows.isEmpty()) {
                    break;
                }
                List<Map<String, Object>> changes = new ArrayList<>();
                for (Map<String, String> row : rows) {
                    String sealed = row.get(column.column());
                    String plain;
                    try {
                        plain = box.open(sealed, column.context().apply(row));
                    } catch (IllegalStateException unopenable) {
                        unopened.merge(String.valueOf(SecretBox.keyIdOf(sealed)), 1, Integer::sum);
                        skipped++;
                        continue;
                    }
                    Map<String, Object> change = new TreeMap<>(row);
                    change.put("sealed", sealed);
                    change.put("resealed", box.seal(plain, column.context().apply(row)));
                    changes.add(change);
                }
                resealed += jdbi.inTransaction(h -> {
                    int done = 0;
                    for (Map<String, Object> change : changes) {
                        var statement = h.createUpdate(update).bind("sealed", change.get("sealed")).bind("resealed", change.get("resealed"));
                        for (String key : column.keys()) {
                            statement.bind(key, change.get(key));
                        }
                        done += statement.execute();
                    }
                    return done;
                });
                if (rows.size() < BATCH) {
                    break;
                }
            }
        }
        return new Rotation(resealed, unopened);
    }
}
