package org.invokej.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.invokej.core.users.User;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code invoke-userlist}: every user, newest first, as an aligned table or JSON. */
@Command(name = "userlist", aliases = "invoke-userlist", mixinStandardHelpOptions = true, sortOptions = false,
        description = "List the users of the InvokeAI database (the built-in 'system' user included).")
final class UserListCommand extends UserCommand {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    @Option(names = "--json", description = "Print JSON instead of a table")
    boolean json;

    @Override
    int run(LocalAccounts accounts, Prompter prompter) {
        List<User> users = accounts.users().listAll(Integer.MAX_VALUE);
        if (json) {
            out().println(json(users));
            return 0;
        }
        if (users.isEmpty()) {
            out().println("No users found in database.");
            return 0;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Email", "Display Name", "Admin", "Active", "Created (UTC)", "Last Login (UTC)"});
        for (User user : users) {
            rows.add(new String[] {user.email(), user.displayName() == null ? "" : user.displayName(),
                    user.admin() ? "Yes" : "No", user.active() ? "Yes" : "No",
                    user.createdAt() == null ? "" : TIME.format(user.createdAt()),
                    user.lastLoginAt() == null ? "never" : TIME.format(user.lastLoginAt())});
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].codePointCount(0, row[i].length()));
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            out().println(line(rows.get(r), widths));
            if (r == 0) {
                StringBuilder rule = new StringBuilder();
                for (int width : widths) {
                    rule.append("-".repeat(width)).append("  ");
                }
                out().println(rule.toString().stripTrailing());
            }
        }
        out().println();
        out().println("Total users: " + users.size());
        return 0;
    }

    private static String line(String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            line.append(cells[i]).append(" ".repeat(widths[i] - cells[i].codePointCount(0, cells[i].length()) + 2));
        }
        return line.toString().stripTrailing();
    }

    private static String json(List<User> users) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (User user : users) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", user.userId());
            item.put("email", user.email());
            item.put("name", user.displayName());
            item.put("is_admin", user.admin());
            item.put("is_active", user.active());
            item.put("created_at", user.createdAt() == null ? null : user.createdAt().toString());
            item.put("last_login_at", user.lastLoginAt() == null ? null : user.lastLoginAt().toString());
            list.add(item);
        }
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(list);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
