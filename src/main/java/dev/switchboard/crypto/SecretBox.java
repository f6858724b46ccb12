package dev.switchboard.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM encryption of secrets at rest. A sealed value reads {@code v1.<keyId>.<base64(iv|ciphertext|tag)>}:
 * the key id lets master keys rotate (new values use the first key, old values still open with theirs).
 * Each value is bound to its context (for example the credential id and field), so a ciphertext copied
 * into another row does not open.
 */
public final class SecretBox {
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private final SecureRandom random = new SecureRandom();
    private final String activeKeyId;
    private final Map<String, SecretKey> keys = new LinkedHashMap<>();

    /** @param masterKeys comma-separated base64 AES-256 keys; the first encrypts, all decrypt */
    public SecretBox(String masterKeys) {
        for (String encoded : masterKeys.split(",")) {
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(encoded.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("master key is not base64");
            }
            if (raw.length != 32) {
                throw new IllegalArgumentException("master key must be 32 bytes (AES-256), got " + raw.length);
            }
            keys.put(keyId(raw), new SecretKeySpec(raw, "AES"));
        }
        this.activeKeyId = keys.keySet().iterator().next();
    }

    /** The id of the key new values are sealed with: the first configured. */
    public String activeKeyId() {
        return activeKeyId;
    }

    /** The ids of every configured key. */
    public java.util.Set<String> keyIds() {
        return java.util.Set.copyOf(keys.keySet());
    }

    /** The id of the key a stored value was sealed with, or null when it is not a sealed value. */
    public static String keyIdOf(String sealed) {
        String[] parts = sealed == null ? new String[0] : sealed.split("\\.", 3);
        return parts.length == 3 && parts[0].equals("v1") ? parts[1] : null;
    }

    private static String keyId(byte[] raw) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw);
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String seal(String plaintext, String context) {
        if (plaintext == null) {
            return null;
        }
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return "v1." + activeKeyId + "." + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    public String open(String sealed, String context) {
        if (sealed == null) {
            return null;
        }
        String[] parts = sealed.split("\\.", 3);
        if (parts.length != 3 || !parts[0].equals("v1")) {
            throw new IllegalStateException("stored secret has an unknown format");
        }
        SecretKey key = keys.get(parts[1]);
        if (key == null) {
            throw new IllegalStateException("stored secret was sealed with master key " + parts[1] + ", which is not configured");
        }
        try {
            byte[] in = Base64.getDecoder().decode(parts[2]);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored secret does not open (wrong key or tampered value)");
        }
    }
}
