package io.sparklstm.jobs.spark;

import io.sparklstm.jobs.config.ConfigException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The shared secret of {@code spark.authenticate} on a standalone cluster, taken from the environment of the
 * submitting process and never from the configuration: the resolved configuration is written next to every
 * output, and Spark properties show up in logs and UIs. In order: the file named by
 * {@code SPARK_LSTM_SECRET_FILE} (refused when other users may read or change it), then {@code SPARK_LSTM_SECRET},
 * then Spark's own {@code _SPARK_AUTH_SECRET}.
 */
final class AuthSecret {

    static final String FILE_VARIABLE = "SPARK_LSTM_SECRET_FILE";
    static final String VARIABLE = "SPARK_LSTM_SECRET";
    static final String SPARK_VARIABLE = "_SPARK_AUTH_SECRET";

    private AuthSecret() {
    }

    static Optional<String> find(Map<String, String> env) {
        String file = env.get(FILE_VARIABLE);
        if (file != null && !file.isBlank()) {
            return Optional.of(read(Path.of(file)));
        }
        for (String variable : new String[]{VARIABLE, SPARK_VARIABLE}) {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                return Optional.of(value.strip());
            }
        }
        return Optional.empty();
    }

    private static String read(Path file) {
        requirePrivate(file);
        String secret;
        try {
            secret = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new ConfigException(FILE_VARIABLE + "=" + file + ": cannot read the secret file (" + e + ")");
        }
        if (secret.isEmpty()) {
            throw new ConfigException(FILE_VARIABLE + "=" + file + ": the secret file is empty");
        }
        return secret;
    }

    /**
     * A secret file that its group or other users may read or change is refused, as ssh refuses such a key: the
     * secret would be known to every account on the machine. A filesystem without POSIX permissions is not checked.
     */
    private static void requirePrivate(Path file) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return;
        } catch (IOException e) {
            throw new ConfigException(FILE_VARIABLE + "=" + file + ": cannot read the secret file (" + e + ")");
        }
        Set<PosixFilePermission> shared = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);
        shared.retainAll(permissions);
        if (!shared.isEmpty()) {
            throw new ConfigException(FILE_VARIABLE + "=" + file + ": the secret file is readable or writable by "
                    + "other users (" + PosixFilePermissions.toString(permissions) + "); make it private: chmod 600 "
                    + file);
        }
    }
}
