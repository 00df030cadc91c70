package org.invokej.persistence;

import org.invokej.core.prompts.StylePreset;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqlStylePresetRepositoryTest {

    @TempDir
    Path root;

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void listsDefaultOwnAndPublicPresetsToAUserAndAllToAnAdministrator(SqlDialect dialect) {
        try (Database database = TestDatabases.open(dialect, root)) {
            database.write(tx -> {
                // as InvokeAI's StylePresetRecordsStorage writes them
                for (Object[] row : List.<Object[]>of(
                        new Object[] {"d1", "Photography", "default", "system", false},
                        new Object[] {"a1", "alice private", "user", "alice", false},
                        new Object[] {"b1", "bob private", "user", "bob", false},
                        new Object[] {"b2", "Bob shared", "user", "bob", true},
                        new Object[] {"s1", "legacy", "user", "system", false})) {
                    tx.dml("INSERT INTO style_presets (id, name, preset_data, type, user_id, is_public) VALUES (?, ?, ?, ?, ?, ?)",
                            row[0], row[1], "{\"positive_prompt\":\"{prompt}, x\",\"negative_prompt\":\"\"}", row[2], row[3], row[4]);
                }
                return null;
            });
            SqlTransactions transactions = new SqlTransactions(database);
            SqlStylePresetRepository presets = new SqlStylePresetRepository();

            List<String> alice = transactions.read(tx -> presets.list(tx, Optional.of("alice"), null)).stream().map(StylePreset::id).toList();
            List<String> admin = transactions.read(tx -> presets.list(tx, Optional.empty(), null)).stream().map(StylePreset::id).toList();

            assertEquals(List.of("a1", "b2", "d1"), alice);
            assertEquals(List.of("a1", "b1", "b2", "s1", "d1"), admin);
            StylePreset found = transactions.read(tx -> presets.find(tx, "b2")).orElseThrow();
            assertEquals("bob", found.ownerId());
            assertTrue(found.isPublic());
            assertEquals("{prompt}, x", found.positivePrompt());
        }
    }
}
