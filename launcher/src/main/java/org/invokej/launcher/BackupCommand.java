package org.invokej.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code invokej backup}: a consistent copy of the root's database, taken while the server runs, checked,
 * and optionally with the image files its rows name; old backups rotated out with {@code --keep}.
 */
@Command(name = "backup", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Backs up the database (consistent while the server runs; SQLite checked with PRAGMA integrity_check,",
                "PostgreSQL dumped with pg_dump and read back whole with pg_restore), with --with-images also the image files,",
                "to <root>/backups/invokej-backup-<time>.db (.pgdump for PostgreSQL, .zip with images).",
                "Prints the backup's path."})
final class BackupCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"--root", "-r"}, paramLabel = "DIR",
            description = "Root directory (default: $INVOKEAI_ROOT, else the parent of $VIRTUAL_ENV, else ~/invokeai).")
    String root;

    @Option(names = "--to", paramLabel = "DIR", description = "Folder for the backups (default: <root>/backups).")
    String to;

    @Option(names = "--keep", paramLabel = "N", description = "Keep only the newest N backups in that folder (this one included).")
    Integer keep;

    @Option(names = "--with-images", description = "Also copy the image files and thumbnails the database names (a .zip).")
    boolean withImages;

    @Override
    public Integer call() {
        ConsoleLogging.configure("warning");
        if (keep != null && keep < 1) {
            throw new ConfigException("--keep must be at least 1 (the backup being made), not " + keep);
        }
        Path resolved = RootDirectory.resolve(Optional.ofNullable(root));
        if (!Files.isDirectory(resolved)) {
            throw new ConfigException("No such folder: " + resolved + " (no InvokeJ root there; check --root)");
        }
        InvokeConfig config = new ConfigLoader(System.getenv(), warning -> { }).load(resolved, Map.of());
        Path folder = to == null ? resolved.resolve("backups") : RootDirectory.expandHome(to).toAbsolutePath().normalize();
        Clock clock = Clock.systemUTC();
        String database = config.databaseLocation(resolved).describe();
        Backups backups = new Backups(Backups.of(config, resolved, clock), config.imagesDir(resolved), clock);
        var err = spec.commandLine().getErr();
        Backups.Written written = backups.write(folder, withImages, err);
        err.printf("Backed up %s to %s (integrity ok, %d tables%s)%n", database, written.file(), written.tables(),
                withImages ? ", " + written.images() + " images" + (written.missingImages() > 0
                        ? ", " + written.missingImages() + " listed without a file" : "") : "");
        if (keep != null) {
            List<Path> removed = Backups.rotate(folder, keep);
            removed.forEach(old -> err.println("Removed the old backup " + old));
        }
        spec.commandLine().getOut().println(written.file());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
