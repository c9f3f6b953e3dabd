package io.sparklstm.jobs.config;

import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import io.sparklstm.model.settings.Setting;
import io.sparklstm.model.settings.ValueType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * The key table of {@code docs/configuration.md}, written from the {@link Catalogue}: key, type, default and
 * meaning of every declared setting. {@code main} rewrites the table in the file; a test fails while the file's
 * table differs from the catalogue.
 */
public final class SettingsTable {

    static final String BEGIN = "<!-- settings table: written by io.sparklstm.jobs.config.SettingsTable from the "
            + "settings catalogue; edit the catalogue, not this table -->";
    static final String END = "<!-- end of settings table -->";

    private SettingsTable() {
    }

    /** The table, between its two marker lines. */
    public static String markdown() {
        StringBuilder out = new StringBuilder(BEGIN).append('\n');
        out.append("| key | value | default | what |\n| --- | --- | --- | --- |\n");
        for (Setting<?> s : Catalogue.settings()) {
            out.append("| `").append(s.key()).append("` | ").append(type(s)).append(" | `")
                    .append(code(ConfigValueFactory.fromAnyRef(s.configDefault()).render(ConfigRenderOptions.concise())))
                    .append("` | ").append(cell(s.doc().lines().map(String::strip).collect(Collectors.joining(" "))))
                    .append(" |\n");
        }
        return out.append(END).append('\n').toString();
    }

    /** A default as code: only a pipe needs escaping there. */
    private static String code(String text) {
        return text.replace("|", "\\|");
    }

    private static String type(Setting<?> s) {
        return s.type() == ValueType.ENUM
                ? s.choices().stream().map(c -> "`" + c + "`").collect(Collectors.joining(", "))
                : s.type().description();
    }

    /** Text that stays in its table cell, as written (no emphasis, no HTML). */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace("*", "\\*").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** The part of {@code document} that the table is, markers included; empty when it has none. */
    static String tableIn(String document) {
        int from = document.indexOf(BEGIN);
        int to = document.indexOf(END);
        return from < 0 || to < from ? "" : document.substring(from, to + END.length() + 1);
    }

    /** Rewrites the table in the file given (default {@code docs/configuration.md}), which must have its markers. */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length > 0 ? args[0] : "docs/configuration.md");
        String document = Files.readString(file, StandardCharsets.UTF_8);
        String table = tableIn(document);
        if (table.isEmpty()) throw new IllegalStateException(file + " has no settings table markers");
        Files.writeString(file, document.replace(table, markdown()), StandardCharsets.UTF_8);
    }
}
