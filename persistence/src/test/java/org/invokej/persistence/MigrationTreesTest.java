package org.invokej.persistence;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every SQL migration exists for both dialects, under the same version and description (docs/architecture.md, "Migrations"). */
class MigrationTreesTest {

    @Test
    void theSqliteAndPostgresqlTreesHaveTheSameMigrations() throws Exception {
        SortedSet<String> sqlite = names("db/migration");
        SortedSet<String> postgres = names("db/postgresql");
        assertEquals(sqlite, postgres, "a migration added to one tree needs its twin in the other");
    }

    private static SortedSet<String> names(String folder) throws IOException, URISyntaxException {
        Path path = Path.of(Objects.requireNonNull(Database.class.getClassLoader().getResource(folder), folder).toURI());
        try (Stream<Path> files = Files.list(path)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".sql"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
