package io.ringkv.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringkv.client.KvClient;
import io.ringkv.node.security.PasswordHash;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code kv user}: the cluster's users, managed by an admin (every change spreads to every node). A new
 * password is read from a file, never from the command line.
 */
@Command(name = "user", description = "Manage the cluster's users (needs an admin).",
        subcommands = {UserCommand.Add.class, UserCommand.Remove.class, UserCommand.Grant.class,
                UserCommand.Revoke.class, UserCommand.ListUsers.class})
public final class UserCommand implements Runnable {

    @Override
    public void run() {
        throw new IllegalArgumentException("a subcommand is required: add, remove, grant, revoke or list");
    }

    /** One call as an admin to the node given by --node; the users after it are printed. */
    abstract static class AsAdmin implements Callable<Integer> {
        @Mixin
        NodeOption node;

        @Override
        public Integer call() throws IOException {
            try (KvClient client = node.client()) {
                print(run(client), System.out);
                return 0;
            }
        }

        abstract JsonNode run(KvClient client) throws IOException;

        /** The roles user {@code name} has now, and its key prefix. */
        static JsonNode current(KvClient client, String name) {
            for (JsonNode u : client.users().path("users")) {
                if (u.path("name").asText().equals(name)) {
                    return u;
                }
            }
            throw new IllegalArgumentException("no user " + name);
        }

        static List<String> roles(JsonNode user) {
            List<String> roles = new ArrayList<>();
            user.path("roles").forEach(r -> roles.add(r.asText()));
            return roles;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Create a user, or replace one.")
    static final class Add extends AsAdmin {
        @Parameters(index = "0", description = "The user's name.")
        String name;

        @Option(names = "--role", required = true, description = "read, write or admin; repeat for several.")
        List<String> roles;

        @Option(names = "--key-prefix", defaultValue = "", description = "Limit reads and writes to keys starting "
                + "with this (default: every key).")
        String keyPrefix;

        @Option(names = "--new-password-file", required = true, paramLabel = "FILE",
                description = "A file whose first line is the new user's password (at least 12 characters).")
        Path newPasswordFile;

        @Override
        JsonNode run(KvClient client) throws IOException {
            String password = PasswordHash.readFile(newPasswordFile);
            return client.putUser(name, password, roles, keyPrefix);
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a user.")
    static final class Remove extends AsAdmin {
        @Parameters(index = "0")
        String name;

        @Override
        JsonNode run(KvClient client) {
            return client.removeUser(name);
        }
    }

    /** Gives or takes one role, keeping the user's password and key prefix. */
    abstract static class RoleChange extends AsAdmin {
        @Parameters(index = "0", description = "The user's name.")
        String name;

        @Parameters(index = "1", description = "read, write or admin")
        String role;

        @Override
        JsonNode run(KvClient client) {
            JsonNode user = current(client, name);
            List<String> roles = change(new ArrayList<>(roles(user)));
            return client.putUser(name, null, roles, user.path("key_prefix").asText(""));
        }

        abstract List<String> change(List<String> roles);
    }

    @Command(name = "grant", mixinStandardHelpOptions = true, description = "Give a user a role.")
    static final class Grant extends RoleChange {
        @Override
        List<String> change(List<String> roles) {
            Set<String> granted = new LinkedHashSet<>(roles);
            granted.add(role);
            return List.copyOf(granted);
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Take a role from a user.")
    static final class Revoke extends RoleChange {
        @Override
        List<String> change(List<String> roles) {
            if (!roles.remove(role) || roles.isEmpty()) {
                throw new IllegalArgumentException(roles.isEmpty() ? "a user keeps at least one role; remove the "
                        + "user instead" : "user " + name + " does not have the " + role + " role");
            }
            return roles;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the users, their roles and key "
            + "prefixes.")
    static final class ListUsers extends AsAdmin {
        @Override
        JsonNode run(KvClient client) {
            return client.users();
        }
    }

    static void print(JsonNode users, PrintStream out) {
        for (JsonNode u : users.path("users")) {
            String prefix = u.path("key_prefix").asText("");
            out.printf("%-24s %-20s %s%n", u.path("name").asText(), String.join(",", AsAdmin.roles(u)),
                    prefix.isEmpty() ? "all keys" : "keys starting with " + prefix);
        }
    }
}
