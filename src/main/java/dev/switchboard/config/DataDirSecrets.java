package dev.switchboard.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Supplier;

/** Secrets that are generated on first start into the data directory, readable by the owner only. */
public final class DataDirSecrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private DataDirSecrets() {}

    /** Reads the secret in {@code file}, or creates it with {@code generator} (mode 600). */
    public static String readOrCreate(Path file, Supplier<String> generator) {
        try {
            if (Files.exists(file)) {
                String secret = Files.readString(file).strip();
                if (secret.isEmpty()) {
                    // Never replaced silently: a new master key would leave every stored secret unreadable.
                    throw new IllegalStateException(file + " is empty; write the secret into it (or set the environment "
                            + "variable that overrides it). Switchboard does not start with an empty secret.");
                }
                return secret;
            }
            createPrivateDirectory(file.getParent());
            String secret = generator.get();
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException raced) {
                return Files.readString(file).strip();
            }
            Files.writeString(file, secret + "\n");
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

    /** Creates the directory, readable by its owner only, unless it exists (an existing one is left as it is). */
    public static void createPrivateDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    public static String randomBase64(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    public static String randomToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return "sbadm_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
