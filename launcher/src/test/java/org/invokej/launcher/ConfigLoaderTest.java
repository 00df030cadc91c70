package org.invokej.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    @TempDir
    Path root;

    private final List<String> warnings = new ArrayList<>();

    private InvokeConfig load(Map<String, String> env, Map<String, String> flags) {
        return new ConfigLoader(env, warnings::add).load(root, flags);
    }

    private void writeConfig(String yaml) throws IOException {
        Files.writeString(root.resolve("invokeai.yaml"), yaml);
    }

    @Test
    void withoutAFileTheDefaultsApply() {
        InvokeConfig config = load(Map.of(), Map.of());
        assertEquals(InvokeConfig.defaults(), config);
        assertFalse(config.multiuser());
        assertFalse(config.strictPasswordChecking());
        assertEquals("127.0.0.1", config.host());
        assertEquals(9090, config.port());
        assertEquals(64L << 20, config.maxRequestSize());
        assertEquals(root.resolve("databases/invokeai.db"), config.databaseFile(root));
        assertTrue(warnings.isEmpty());
    }

    @Test
    void databaseUrlSwitchesToPostgresqlWithThePasswordFromTheEnvironment() throws IOException {
        assertEquals(new org.invokej.persistence.DatabaseLocation.SqliteFile(root.resolve("databases/invokeai.db")),
                load(Map.of(), Map.of()).databaseLocation(root), "SQLite by default");
        writeConfig("""
                database_url: postgresql://db.example.com:5432/invokeai
                database_user: invokej
                database_pool_size: 4
                """);
        InvokeConfig config = load(Map.of("INVOKEAI_DATABASE_PASSWORD", "s3cret"), Map.of());
        assertEquals(new org.invokej.persistence.DatabaseLocation.PostgresServer("postgresql://db.example.com:5432/invokeai",
                "invokej", "s3cret", 4), config.databaseLocation(root));
        assertFalse(config.toString().contains("s3cret"), "the password never reaches a log: " + config);

        writeConfig("database_url: mysql://db.example.com/invokeai\n");
        ConfigException bad = assertThrows(ConfigException.class, () -> load(Map.of(), Map.of()));
        assertTrue(bad.getMessage().contains("database_url") && bad.getMessage().contains("expected postgresql://host:port/database"),
                bad.getMessage());
    }

    @Test
    void theFileIsReadAndTheEnvironmentOverridesItAndFlagsOverrideBoth() throws IOException {
        writeConfig("""
                schema_version: 4.0.2
                multiuser: true
                host: 0.0.0.0
                port: 9100
                strict_password_checking: yes
                max_request_size: 2MiB
                """);
        InvokeConfig fromFile = load(Map.of(), Map.of());
        assertTrue(fromFile.multiuser());
        assertTrue(fromFile.strictPasswordChecking());
        assertEquals("0.0.0.0", fromFile.host());
        assertEquals(9100, fromFile.port());
        assertEquals(2L << 20, fromFile.maxRequestSize());

        InvokeConfig fromEnv = load(Map.of("INVOKEAI_PORT", "9200", "INVOKEAI_MULTIUSER", "false", "invokeai_host", "::1"), Map.of());
        assertEquals(9200, fromEnv.port());
        assertFalse(fromEnv.multiuser());
        assertEquals("::1", fromEnv.host());

        InvokeConfig fromFlags = load(Map.of("INVOKEAI_PORT", "9200"), Map.of("port", "9300"));
        assertEquals(9300, fromFlags.port());
        assertTrue(fromFlags.multiuser(), "keys not overridden keep the file's value");
    }

    @Test
    void emptyEnvironmentValuesAreIgnored() throws IOException {
        writeConfig("port: 9100\n");
        assertEquals(9100, load(Map.of("INVOKEAI_PORT", ""), Map.of()).port());
    }

    @Test
    void unknownInvokeAiKeysAreKeptWithOneWarningEach() throws IOException {
        writeConfig("""
                schema_version: 4.0.2
                precision: float16
                enable_partial_loading: true
                pytorch_cuda_alloc_conf: "backend:cudaMallocAsync"
                hashing_algorithm: blake3_single
                """);
        assertEquals(InvokeConfig.defaults(), load(Map.of(), Map.of()));
        // hashing_algorithm is one InvokeJ reads: no warning for it
        assertEquals(3, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("'precision'") && warnings.get(0).contains(root.resolve("invokeai.yaml").toString()),
                warnings.get(0));
        assertTrue(Files.exists(root.resolve("invokeai.yaml")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "port: abc          | 'port' in {file}: expected a whole number from 0 to 65535, got \"abc\"",
            "port: 70000        | 'port' in {file}: expected a whole number from 0 to 65535, got 70000",
            "multiuser: maybe   | 'multiuser' in {file}: expected true or false, got \"maybe\"",
            "host: ''           | 'host' in {file}: expected a non-empty text",
            "log_level: loud    | 'log_level' in {file}: expected one of debug, info, warning, error, critical",
            "max_request_size: 12 parsecs | 'max_request_size' in {file}: expected a size",
            "hashing_algorithm: whirlpool | 'hashing_algorithm' in {file}: expected one of blake3_single, blake3_multi, random, md5",
    })
    void aBadValueInTheFileNamesTheKeyAndTheFile(String yaml, String expected) throws IOException {
        writeConfig(yaml + "\n");
        ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of(), Map.of()));
        String message = expected.replace("{file}", root.resolve("invokeai.yaml").toString());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void aBadEnvironmentValueNamesTheVariable() {
        ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of("INVOKEAI_MULTIUSER", "perhaps"), Map.of()));
        assertEquals("Invalid value for 'multiuser' in environment variable INVOKEAI_MULTIUSER: expected true or false, got \"perhaps\"",
                e.getMessage());
    }

    @Test
    void aBadFlagNamesTheFlag() {
        ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of(), Map.of("port", "-1")));
        assertEquals("Invalid value for 'port' given as --port: expected a whole number from 0 to 65535, got \"-1\"", e.getMessage());
    }

    @Test
    void unreadableYamlIsOneLineWithThePosition() throws IOException {
        writeConfig("multiuser: true\nport: [9090\n");
        ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of(), Map.of()));
        assertTrue(e.getMessage().startsWith("Cannot parse " + root.resolve("invokeai.yaml") + " at line"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void aFileThatIsNotAMappingIsRefused() throws IOException {
        writeConfig("- just\n- a list\n");
        ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of(), Map.of()));
        assertTrue(e.getMessage().contains("must be a mapping"), e.getMessage());
    }

    @Test
    void anEmptyFileMeansDefaults() throws IOException {
        writeConfig("# nothing set\n");
        assertEquals(InvokeConfig.defaults(), load(Map.of(), Map.of()));
    }

    @Test
    void theDefaultFileDocumentsEverySettingAndLoadsAsTheDefaults() throws IOException {
        String text = ConfigLoader.defaultFile();
        assertTrue(text.contains("schema_version: " + InvokeConfig.SCHEMA_VERSION));
        for (Setting<?> setting : InvokeConfig.SETTINGS) {
            assertTrue(text.contains("# " + setting.key() + ": "), setting.key());
        }
        writeConfig(text);
        assertEquals(InvokeConfig.defaults(), load(Map.of(), Map.of()));
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @ParameterizedTest
    @CsvSource({"1024, 1024", "64MB, 64000000", "64MiB, 67108864", "1.5 GiB, 1610612736", "512k, 512000", "2gb, 2000000000"})
    void sizesTakeUnits(String text, long bytes) {
        assertEquals(bytes, Setting.parseBytes(text, 1));
    }
}
