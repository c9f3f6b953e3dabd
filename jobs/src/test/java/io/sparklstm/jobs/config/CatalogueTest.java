package io.sparklstm.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.sparklstm.model.settings.Section;
import io.sparklstm.model.settings.Setting;
import io.sparklstm.model.settings.ValueType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The settings catalogue is the one declaration of every key: {@code conf/defaults.conf} (what users read and what the
 * jar loads) must have each declared key, with the declared default and the declared meaning as its comment, and no
 * key the catalogue does not declare; {@code docs/configuration.md}'s key table must be the one written from it.
 */
class CatalogueTest {

    private static final Path ROOT = Path.of(System.getProperty("sparklstm.repo.root", ".."));

    private static Config shippedDefaults() {
        return ConfigFactory.parseFile(ROOT.resolve("conf/defaults.conf").toFile(),
                ConfigParseOptions.defaults().setAllowMissing(false));
    }

    @Test
    void theDefaultsTheJarLoadsAreConfDefaultsConf() throws IOException {
        try (InputStream loaded = ConfigLoader.class.getResourceAsStream("defaults.conf")) {
            assertEquals(Files.readString(ROOT.resolve("conf/defaults.conf")),
                    new String(loaded.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void everyDeclaredKeyIsInDefaultsConfWithItsDefaultAndItsMeaning() {
        Config defaults = shippedDefaults();
        List<String> wrong = new ArrayList<>();
        for (Setting<?> s : Catalogue.settings()) {
            if (!defaults.hasPath(s.key()) && !(s.type() == ValueType.SECTION && defaults.hasPathOrNull(s.key()))) {
                wrong.add(s.key() + ": declared, not in conf/defaults.conf");
                continue;
            }
            ConfigValue value = defaults.getValue(s.key());
            if (!sameKind(s.type(), value.valueType())) {
                wrong.add(s.key() + ": declared " + s.type() + ", conf/defaults.conf has " + value.valueType());
            } else if (!normal(s.configDefault()).equals(normal(value.unwrapped()))) {
                wrong.add(s.key() + ": declared default " + s.configDefault() + ", conf/defaults.conf has "
                        + value.unwrapped());
            }
            String comment = value.origin().comments().stream().map(line -> line.startsWith(" ") ? line.substring(1)
                    : line).collect(Collectors.joining("\n")).strip();
            if (!comment.equals(s.doc())) {
                wrong.add(s.key() + ": declared meaning\n" + s.doc() + "\nconf/defaults.conf's comment\n" + comment);
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void everyKeyOfACataloguedSectionInDefaultsConfIsDeclared() {
        Config defaults = shippedDefaults();
        Set<String> declared = Catalogue.settings().stream().map(Setting::key).collect(Collectors.toSet());
        Set<String> undeclared = new HashSet<>();
        for (Section section : Catalogue.SECTIONS) {
            assertTrue(defaults.hasPath(section.name()), section.name() + " is not a section of conf/defaults.conf");
            collectUndeclared(section.name(), defaults.getObject(section.name()), declared, undeclared);
        }
        assertEquals(Set.of(), undeclared);
    }

    @Test
    void everySectionOfDefaultsConfIsCatalogued() {
        Set<String> sections = shippedDefaults().root().keySet();
        assertEquals(sections, Catalogue.SECTIONS.stream().map(Section::name).collect(Collectors.toSet()));
    }

    @Test
    void everyDeclaredDefaultPassesItsOwnCheck() {
        for (Setting<?> s : Catalogue.settings()) {
            assertEquals(Optional.empty(), problemOfDefault(s), s.key());
        }
    }

    @Test
    void theKeyTableOfTheDocumentationIsTheCatalogues() throws IOException {
        String document = Files.readString(ROOT.resolve("docs/configuration.md"));
        assertEquals(SettingsTable.markdown(), SettingsTable.tableIn(document), "docs/configuration.md's key table "
                + "differs from the catalogue: run io.sparklstm.jobs.config.SettingsTable docs/configuration.md");
    }

    private static <T> Optional<String> problemOfDefault(Setting<T> s) {
        return s.problem(s.defaultValue());
    }

    private static void collectUndeclared(String path, ConfigObject object, Set<String> declared, Set<String> out) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            String key = path + "." + e.getKey();
            if (declared.contains(key)) continue;
            if (e.getValue().valueType() == ConfigValueType.OBJECT) {
                collectUndeclared(key, (ConfigObject) e.getValue(), declared, out);
            } else {
                out.add(key);
            }
        }
    }

    private static boolean sameKind(ValueType declared, ConfigValueType written) {
        return switch (declared) {
            case BOOLEAN -> written == ConfigValueType.BOOLEAN;
            case INT, LONG, DOUBLE -> written == ConfigValueType.NUMBER;
            case STRING, ENUM -> written == ConfigValueType.STRING;
            case INTS, DOUBLES, STRINGS -> written == ConfigValueType.LIST;
            case SECTION -> written == ConfigValueType.OBJECT;
        };
    }

    /** Numbers compared by value (HOCON reads 12345 as an Integer, the catalogue may declare a long or 360.0). */
    private static Object normal(Object value) {
        if (value instanceof Number n) return new BigDecimal(n.toString()).stripTrailingZeros();
        if (value instanceof List<?> l) return l.stream().map(CatalogueTest::normal).toList();
        if (value instanceof Map<?, ?> m) {
            return m.entrySet().stream().collect(Collectors.toMap(e -> e.getKey(), e -> normal(e.getValue())));
        }
        return value;
    }
}
