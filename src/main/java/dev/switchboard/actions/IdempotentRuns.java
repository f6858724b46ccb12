package dev.switchboard.actions;

import dev.switchboard.auth.UserPrincipal;
import dev.switchboard.files.FileBytes;
import dev.switchboard.files.FileObjects;
import dev.switchboard.files.HexJsonWriter;
import dev.switchboard.json.Json;
import dev.switchboard.outcomes.Failure;
import dev.switchboard.store.IdempotencyKeys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs an action once per Idempotency-Key (per project and user, for 24 hours): a retry with the same key and the
 * same request answers the first run's outcome without calling the vendor again; the same key with another request
 * is refused (409); concurrent requests with one key make one vendor call, and the others wait for its outcome.
 * A request that failed before anything could reach the vendor (bad input, not connected, rate limited) frees its
 * key, so that the retry runs; every other outcome is kept, failures too: whether a vendor that timed out acted is
 * unknown, and a second call could act twice.
 */
public final class IdempotentRuns {
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");
    /** The longest a request waits for a concurrent one with its key: past any vendor call's deadline. */
    private static final Duration MAX_WAIT = Duration.ofSeconds(60);
    /** A claim with no outcome after this long belonged to a node that died while running it. */
    private static final Duration INTERRUPTED_AFTER = Duration.ofMinutes(2);
    private static final Duration POLL = Duration.ofMillis(50);

    private final ActionRunner runner;
    private final IdempotencyKeys keys;
    private final Clock clock;

    /** The action's result, and whether it is a stored one answered again. */
    public record Outcome(ActionRunner.Result result, boolean replayed) {}

    public IdempotentRuns(ActionRunner runner, IdempotencyKeys keys, Clock clock) {
        this.runner = runner;
        this.keys = keys;
        this.clock = clock;
    }

    /** @param key the caller's Idempotency-Key, or null to run without one */
    public Outcome run(UserPrincipal user, String key, String actionName, JsonNode parameters, String credentialHeader, String requestId) {
        if (key == null) {
            return new Outcome(runner.run(user, actionName, parameters, credentialHeader, requestId), false);
        }
        if (!KEY.matcher(key).matches()) {
            throw Failure.invalidInput("invalid_request", "Idempotency-Key must be 1 to 255 visible ASCII characters.");
        }
        user.requireActionKit(); // before a key is claimed or an outcome shown
        String hash = fingerprint(actionName, parameters, credentialHeader);
        long waitUntil = System.nanoTime() + MAX_WAIT.toNanos();
        while (true) {
            if (keys.claim(user.projectId(), user.userId(), key, hash)) {
                return new Outcome(runClaimed(user, key, actionName, parameters, credentialHeader, requestId), false);
            }
            Optional<IdempotencyKeys.Claim> held = keys.find(user.projectId(), user.userId(), key);
            if (held.isEmpty()) {
                continue; // released or expired meanwhile: claim it again
            }
            IdempotencyKeys.Claim claim = held.get();
            if (!claim.requestHash().equals(hash)) {
                throw new Failure(Failure.Kind.CONFLICT, "idempotency_key_reused",
                        "This Idempotency-Key was used for a different request; use a new key for a new request.");
            }
            if (claim.outcome() != null) {
                return new Outcome(replay(claim.outcome()), true);
            }
            if (clock.millis() - claim.createdAt() > INTERRUPTED_AFTER.toMillis()) {
                throw new Failure(Failure.Kind.CONFLICT, "idempotency_key_interrupted", "The first request with this "
                        + "Idempotency-Key was interrupted before its outcome was saved; whether the vendor acted is unknown, so it is "
                        + "not run again. Check the vendor, then use a new key.");
            }
            if (System.nanoTime() > waitUntil) {
                throw new Failure(Failure.Kind.CONFLICT, "idempotency_key_in_progress",
                        "A request with this Idempotency-Key is still running; retry shortly.");
            }
            sleep();
        }
    }

    private ActionRunner.Result runClaimed(UserPrincipal user, String key, String actionName, JsonNode parameters,
                                           String credentialHeader, String requestId) {
        ActionRunner.Result result;
        try {
            result = runner.run(user, actionName, parameters, credentialHeader, requestId);
        } catch (Failure failure) {
            if (nothingReachedTheVendor(failure)) {
                keys.release(user.projectId(), user.userId(), key);
            } else {
                keys.complete(user.projectId(), user.userId(), key, stored(failure));
            }
            throw failure;
        } catch (RuntimeException unexpected) {
            keys.complete(user.projectId(), user.userId(), key, stored(new Failure(Failure.Kind.INTERNAL, "internal_error",
                    "Switchboard failed to handle the first request with this Idempotency-Key.")));
            throw unexpected;
        }
        keys.complete(user.projectId(), user.userId(), key, stored(result));
        return result;
    }

    private static boolean nothingReachedTheVendor(Failure failure) {
        return switch (failure.kind()) {
            case INVALID_INPUT, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, NOT_CONNECTED, RATE_LIMITED, BUSY, TOO_LARGE,
                 UNSUPPORTED_MEDIA_TYPE -> true;
            // a vendor that rejects the credential did nothing with the request
            case CREDENTIAL_INVALID -> true;
            default -> false;
        };
    }

    private static String stored(ActionRunner.Result result) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // dataType comes first in a File result, so its hex is decoded into bytes again when it is read back
        out.writeBytes(("{\"ok\":true,\"credentialId\":" + Json.write(result.credentialId()) + ",\"ignoredParameters\":"
                + Json.write(result.ignoredParameters()) + ",\"body\":").getBytes(StandardCharsets.UTF_8));
        HexJsonWriter.write(result.body(), out);
        out.write('}');
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String stored(Failure failure) {
        ObjectNode node = Json.object().put("ok", false).put("kind", failure.kind().name()).put("code", failure.code())
                .put("message", failure.getMessage()).put("credentialId", failure.credentialId());
        node.set("details", Json.tree(failure.details()));
        if (failure.retryAfter() != null) {
            node.put("retryAfterMillis", failure.retryAfter().toMillis());
        }
        Failure.VendorAnswer vendor = failure.vendorAnswer();
        if (vendor != null) {
            node.putObject("vendor").put("status", vendor.status()).put("text", vendor.text()).set("json", vendor.json());
        }
        return Json.write(node);
    }

    private static ActionRunner.Result replay(String stored) {
        JsonNode outcome = FileObjects.read(new ByteArrayInputStream(stored.getBytes(StandardCharsets.UTF_8)), true);
        if (outcome.get("ok").asBoolean()) {
            List<String> ignored = new java.util.ArrayList<>();
            outcome.path("ignoredParameters").forEach(p -> ignored.add(p.asString()));
            return new ActionRunner.Result(outcome.get("body"), outcome.get("credentialId").asString(null), ignored);
        }
        Failure failure = new Failure(Failure.Kind.valueOf(outcome.get("kind").asString()), outcome.get("code").asString(),
                outcome.get("message").asString());
        outcome.get("details").properties().forEach(detail -> failure.withDetail(detail.getKey(), detail.getValue()));
        if (outcome.has("retryAfterMillis")) {
            failure.retryAfter(Duration.ofMillis(outcome.get("retryAfterMillis").asLong()));
        }
        JsonNode vendor = outcome.get("vendor");
        if (vendor != null) {
            JsonNode json = vendor.get("json");
            failure.fromVendor(new Failure.VendorAnswer(vendor.get("status").asInt(), json == null || json.isNull() ? null : json,
                    vendor.get("text").asString(null)));
        }
        String credential = outcome.get("credentialId").asString(null);
        throw credential == null ? failure : failure.usingCredential(credential);
    }

    /** SHA-256 of what the request asks for, independent of key order and of how numbers and files were written. */
    static String fingerprint(String actionName, JsonNode parameters, String credentialHeader) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        feed(digest, "action:" + actionName + "\u0000credential:" + credentialHeader + "\u0000");
        feed(digest, parameters);
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void feed(MessageDigest digest, JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            feed(digest, "n;");
        } else if (FileObjects.bytesOf(node) != null) {
            FileBytes bytes = FileObjects.bytesOf(node);
            feed(digest, "b" + bytes.length() + ":");
            bytes.chunks().forEach(digest::update);
        } else if (node.isObject()) {
            List<String> names = new ArrayList<>(node.propertyNames());
            names.sort(null);
            feed(digest, "{" + names.size() + ":");
            for (String name : names) {
                feed(digest, "k" + name.length() + ":" + name);
                feed(digest, node.get(name));
            }
        } else if (node.isArray()) {
            feed(digest, "[" + node.size() + ":");
            node.forEach(item -> feed(digest, item));
        } else if (node.isNumber()) {
            feed(digest, "#" + node.decimalValue().stripTrailingZeros().toPlainString() + ";");
        } else {
            String text = node.asString();
            feed(digest, (node.isString() ? "s" : "v") + text.length() + ":" + text);
        }
    }

    private static void feed(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(Failure.Kind.CONFLICT, "idempotency_key_in_progress", "Interrupted while waiting for a request with this key.");
        }
    }
}
