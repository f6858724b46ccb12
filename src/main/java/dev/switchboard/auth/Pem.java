package dev.switchboard.auth;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** RSA keys to and from PEM (SubjectPublicKeyInfo for public keys, PKCS#8 for private keys). */
public final class Pem {
    private static final int MIN_BITS = 2048;

    private Pem() {}

    public static KeyPair generateRsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(MIN_BITS);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String encodePublic(RSAPublicKey key) {
        return encode("PUBLIC KEY", key.getEncoded());
    }

    public static String encodePrivate(RSAPrivateKey key) {
        return encode("PRIVATE KEY", key.getEncoded());
    }

    /** @throws IllegalArgumentException with a message fit for the operator when the text is no RSA public key of 2048+ bits */
    public static RSAPublicKey parsePublic(String pem) {
        byte[] der = decode(pem, "PUBLIC KEY");
        try {
            RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
            if (key.getModulus().bitLength() < MIN_BITS) {
                throw new IllegalArgumentException("publicKeyPem: RSA keys must have at least " + MIN_BITS + " bits");
            }
            return key;
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("publicKeyPem: not an RSA public key");
        }
    }

    public static RSAPrivateKey parsePrivate(String pem) {
        byte[] der = decode(pem, "PRIVATE KEY");
        try {
            return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("not an RSA private key in PKCS#8 PEM");
        }
    }

    private static String encode(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static byte[] decode(String pem, String type) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        if (pem == null) {
            throw new IllegalArgumentException("expected a PEM block '" + begin + "'");
        }
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("expected a PEM block '" + begin + "'");
        }
        try {
            return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PEM block '" + begin + "' is not valid base64");
        }
    }
}
