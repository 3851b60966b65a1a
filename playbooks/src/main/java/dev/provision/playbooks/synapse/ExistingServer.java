package dev.provision.playbooks.synapse;

import dev.provision.task.CommandResult;
import dev.provision.task.Fact;
import dev.provision.task.FactException;
import dev.provision.task.Shell;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a host already runs, read in one cheap command before anything changes: the installed Synapse package,
 * whether main is active, the keys of Synapse's configuration the playbook must keep (server_name, the signing
 * key, the media store, the database), which secrets are set inline (names only, never values), and the nginx
 * site that serves the public hostname. Configuration files are read the way Synapse merges them: homeserver.yaml,
 * then {@code conf.d/*.yaml} in name order, a later top-level key replacing an earlier one.
 */
record ExistingServer(Optional<String> installedPackage, String mainState, boolean configured, Map<String, Setting> settings,
                      Map<String, List<String>> inlineSecrets, Map<String, Long> pathSizes, Map<String, Long> sqliteRows,
                      List<Site> sites) {

    static final String HOMESERVER_YAML = "/etc/matrix-synapse/homeserver.yaml";
    static final List<String> SECRET_KEYS = List.of("registration_shared_secret", "macaroon_secret_key", "form_secret");

    /** A top-level key's effective value and the file it comes from; database keys are flattened (database.args.dbname). */
    record Setting(String file, String value) {
    }

    /** An nginx site file naming the public hostname in a server_name. */
    record Site(String path, String owner, String group, int mode, String content) {
    }

    /** The database Synapse would open now: its engine ({@code sqlite3}, {@code psycopg2}) and its args, a password never. */
    record Database(String engine, Map<String, String> args, String file) {

        boolean sqlite() {
            return engine.equals("sqlite3");
        }

        Optional<String> arg(String name) {
            return Optional.ofNullable(args.get(name));
        }
    }

    static Fact<ExistingServer> fact(String publicHostname) {
        return Fact.of(command(publicHostname), ExistingServer::parse);
    }

    boolean installed() {
        return installedPackage.isPresent();
    }

    /** Whether this playbook has configured Synapse here before: main's listeners are its file. */
    boolean configuredBefore() {
        return configured;
    }

    boolean mainActive() {
        return mainState.equals("active") || mainState.equals("reloading");
    }

    Optional<String> value(String key) {
        return Optional.ofNullable(settings.get(key)).map(Setting::value).filter(value -> !value.isEmpty());
    }

    Optional<Database> database() {
        Setting engine = settings.get("database.name");
        if (engine == null) {
            return Optional.empty();
        }
        Map<String, String> args = new LinkedHashMap<>();
        settings.forEach((key, setting) -> {
            if (key.startsWith("database.args.") && setting.file().equals(engine.file())) {
                args.put(key.substring("database.args.".length()), setting.value());
            }
        });
        return Optional.of(new Database(engine.value(), args, engine.file()));
    }

    /** Bytes at a path the configuration names, -1 when nothing is there. */
    long size(String path) {
        return pathSizes.getOrDefault(path, -1L);
    }

    /**
     * The SQLite file Synapse would open, when it holds data: users or rooms. The schema alone, as
     * Debian's package leaves it when Synapse started once before it was configured (or a first run
     * was interrupted there), is no data; a file whose rows could not be counted counts as data.
     */
    Optional<String> sqliteWithData() {
        return database().filter(Database::sqlite).flatMap(db -> db.arg("database"))
                .filter(path -> size(path) > 0 && sqliteRows.getOrDefault(path, -1L) != 0);
    }

    /** The file whose inline value Synapse uses for {@code key} (the last one it reads), if any sets it. */
    Optional<String> inlineSecretFile(String key) {
        List<String> files = inlineSecrets.getOrDefault(key, List.of());
        return files.isEmpty() ? Optional.empty() : Optional.of(files.get(files.size() - 1));
    }

    static final String CONFIG_AWK = """
            function clean(v) {
              sub(/^[ \\t]+/, "", v); sub(/[ \\t\\r]+$/, "", v)
              if (v ~ /^".*"$/ || v ~ /^'.*'$/) return substr(v, 2, length(v) - 2)
              sub(/[ \\t]+#.*$/, "", v)
              return v
            }
            /^[ \\t]*(#|$)/ { next }
            /^[^ \\t]/ {
              section = ""
              if (index($0, ":") == 0) next
              key = substr($0, 1, index($0, ":") - 1); v = clean(substr($0, index($0, ":") + 1))
              if (key == "server_name" || key == "signing_key_path" || key == "media_store_path") print "config\\t" f "\\t" key "\\t" v
              else if (key == "registration_shared_secret" || key == "macaroon_secret_key" || key == "form_secret") {
                if (v != "" && v != "null" && v != "~") print "inline\\t" f "\\t" key
              } else if (key == "database") { print "config\\t" f "\\tdatabase\\t" (v == "" ? "" : "(flow)"); section = "database"; base = 0 }
              next
            }
            section == "database" && index($0, ":") > 0 {
              match($0, /^[ \\t]*/); indent = RLENGTH
              k = substr($0, indent + 1, index($0, ":") - indent - 1); v = clean(substr($0, index($0, ":") + 1))
              if (base == 0 || indent <= base) { base = indent; part = k; if (k == "name") print "config\\t" f "\\tdatabase.name\\t" v; next }
              if (part == "args") print "config\\t" f "\\tdatabase.args." k "\\t" (k == "password" ? "(set)" : v)
            }
            """;

    /** Users and rooms in a SQLite database, read-only; a Python start, made only while Synapse is on SQLite. */
    private static final String COUNT_ROWS = "import sqlite3, sys\n"
            + "db = sqlite3.connect('file:%s?mode=ro' % sys.argv[1], uri=True)\n"
            + "print(sum(db.execute('SELECT COUNT(*) FROM ' + t).fetchone()[0] for t in ('users', 'rooms')))";

    /** Read-only; values of secrets and of a database password never leave the host. */
    static String command(String publicHostname) {
        String host = publicHostname.replace(".", "\\.");
        String serverName = "^[[:space:]]*server_name([[:space:]]+[^[:space:];]+)*[[:space:]]+" + host + "([[:space:]]+[^[:space:];]+)*[[:space:]]*;";
        return "LC_ALL=C; export LC_ALL\n"
                + "dpkg-query -W -f='package\\t${Package}\\t${db:Status-Status}\\n' matrix-synapse matrix-synapse-py3 2>/dev/null\n"
                + "printf 'main\\t%s\\n' \"$(systemctl show -P ActiveState " + SynapseDeployment.MAIN_SERVICE + " 2>/dev/null)\"\n"
                + "[ ! -e " + SynapseConfigFiles.CONF_D + "listeners.yaml ] || echo configured\n"
                + "config=$(for f in " + HOMESERVER_YAML + " " + SynapseConfigFiles.CONF_D + "*.yaml; do [ -f \"$f\" ] && awk -v f=\"$f\" "
                + Shell.quote(CONFIG_AWK) + " \"$f\"; done)\n"
                + "[ -z \"$config\" ] || printf '%s\\n' \"$config\"\n"
                + "printf '%s\\n' \"$config\" | awk -F'\\t' '$3 == \"database.args.database\" || $3 == \"signing_key_path\" || $3 == \"media_store_path\" { print $4 }'"
                + " | sort -u | while IFS= read -r p; do [ -n \"$p\" ] || continue;"
                + " if [ -e \"$p\" ]; then printf 'size\\t%s\\t%s\\n' \"$p\" \"$(stat -c %s -- \"$p\")\"; else printf 'size\\t%s\\t-1\\n' \"$p\"; fi; done\n"
                + "printf '%s\\n' \"$config\" | awk -F'\\t' '$3 == \"database.args.database\" { print $4 }' | sort -u | while IFS= read -r p; do"
                + " [ -s \"$p\" ] && command -v python3 >/dev/null || continue;"
                + " printf 'rows\\t%s\\t%s\\n' \"$p\" \"$(python3 -c " + Shell.quote(COUNT_ROWS) + " \"$p\" 2>/dev/null || echo -1)\"; done\n"
                + "for f in /etc/nginx/sites-enabled/* /etc/nginx/conf.d/*.conf; do [ -f \"$f\" ] && [ \"$f\" != " + NginxConfig.SITE + " ] || continue;"
                + " grep -qE " + Shell.quote(serverName) + " \"$f\" || continue; r=$(readlink -f -- \"$f\");"
                + " printf 'site\\t%s\\t%s\\t%s\\n' \"$r\" \"$(stat --printf='%U\\t%G\\t%a' -- \"$r\")\" \"$(base64 -w0 < \"$r\")\"; done\n"
                + "true";
    }

    static ExistingServer parse(CommandResult result) {
        if (!result.succeeded()) {
            throw new FactException("cannot read Synapse's and nginx's configuration: " + result.errorText());
        }
        Optional<String> installed = Optional.empty();
        String main = "";
        boolean configured = false;
        List<String[]> configLines = new ArrayList<>();
        Map<String, List<String>> inline = new LinkedHashMap<>();
        Map<String, Long> sizes = new LinkedHashMap<>();
        Map<String, Long> rows = new LinkedHashMap<>();
        List<Site> sites = new ArrayList<>();
        for (String line : result.stdout().lines().toList()) {
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "package" -> {
                    if (f.length >= 3 && f[2].equals("installed")) {
                        installed = Optional.of(f[1]);
                    }
                }
                case "main" -> main = f.length > 1 ? f[1] : "";
                case "configured" -> configured = true;
                case "config" -> configLines.add(f);
                case "inline" -> configLines.add(f);
                case "size" -> sizes.put(f[1], Long.parseLong(f[2]));
                case "rows" -> rows.put(f[1], parseRows(f[2]));
                case "site" -> sites.add(new Site(f[1], f[2], f[3], Integer.parseInt(f[4], 8),
                        new String(Base64.getDecoder().decode(f[5]), StandardCharsets.UTF_8)));
                default -> {
                }
            }
        }
        // Synapse reads homeserver.yaml first, then conf.d in name order; a later file's top-level key wins
        configLines.sort(Comparator.comparing(f -> f[1].equals(HOMESERVER_YAML) ? "" : f[1]));
        Map<String, Setting> settings = new LinkedHashMap<>();
        for (String[] f : configLines) {
            if (f[0].equals("inline")) {
                inline.computeIfAbsent(f[2], key -> new ArrayList<>()).add(f[1]);
                continue;
            }
            String value = f.length > 3 ? f[3] : "";
            if (f[2].equals("database")) {
                settings.keySet().removeIf(key -> key.startsWith("database."));
                if (!value.isEmpty()) {
                    settings.put("database.name", new Setting(f[1], value));
                }
                continue;
            }
            settings.put(f[2], new Setting(f[1], value));
        }
        return new ExistingServer(installed, main, configured, settings, inline, sizes, rows, sites);
    }

    private static long parseRows(String count) {
        try {
            return Long.parseLong(count.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
