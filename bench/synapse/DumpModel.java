import dev.provision.dsl.Host;
import dev.provision.playbooks.synapse.GroupMembership;
import dev.provision.playbooks.synapse.PostgresDatabase;
import dev.provision.playbooks.synapse.RedisClientPolicy;
import dev.provision.playbooks.synapse.RenderedDirectory;
import dev.provision.playbooks.synapse.RenderedFile;
import dev.provision.playbooks.synapse.SecretFile;
import dev.provision.playbooks.synapse.ServiceAction;
import dev.provision.playbooks.synapse.SynapseDeployment;
import dev.provision.playbooks.synapse.SynapseTopology;
import dev.provision.playbooks.synapse.SynapseWorker;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes what the Ansible counterpart of the Synapse playbook needs, from the very model SynapseServer uses:
 * every rendered file under OUT/files/ (same bytes), and OUT/model.json (owners, modes, directories,
 * memberships, Redis settings, secrets, database, units, handlers) plus OUT/handlers.yml, one Ansible
 * handler per ServiceAction in the order the deployment lists them.
 *
 *   java -cp cli/target/provision.jar bench/synapse/DumpModel.java OUT name=value...
 *
 * The name=value pairs are the host variables of the provision inventory (server_name, package_source,
 * redis_client, txredisapi_source, ...). TopologyVars and RedisClientPolicy.of read them exactly as the
 * playbook does; the package-private pieces are reached by reflection so nothing is restated here.
 */
public final class DumpModel {

    private static final String PACKAGE = "dev.provision.playbooks.synapse.";
    /** Where Debian's python3 finds modules installed outside dpkg (SynapseServer.DEBIAN_SITE_PACKAGES). */
    private static final String SITE_PACKAGES = "/usr/lib/python3/dist-packages";

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Map<String, Object> vars = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            vars.put(kv[0], kv[1]);
        }
        Host host = new Host("bench-synapse", vars);
        SynapseTopology topology = (SynapseTopology) call(PACKAGE + "TopologyVars", "read", host);
        SynapseDeployment deployment = SynapseDeployment.of(topology);
        RedisClientPolicy policy = RedisClientPolicy.of(host);

        Map<String, Object> model = new LinkedHashMap<>();
        model.put("server_name", topology.serverName());
        model.put("package", topology.packageSource().packageName());
        List<String> packages = new ArrayList<>();
        topology.redisSocket().ifPresent(socket -> packages.add("redis-server"));
        topology.database().ifPresent(database -> packages.add("postgresql"));
        packages.addAll(List.of("nginx", topology.packageSource().packageName()));
        model.put("packages", packages);
        model.put("creates_synapse_group", topology.packageSource().createsSynapseGroup());

        if (policy instanceof RedisClientPolicy.InstallFrom installFrom) {
            Object checkout = call(PACKAGE + "TxRedisApiCheckout", "read", installFrom.checkout());
            String version = (String) invoke(checkout, "version");
            Files.createDirectories(out.resolve("txredisapi"));
            Files.write(out.resolve("txredisapi/txredisapi.py"), (byte[]) invoke(checkout, "module"));
            Files.writeString(out.resolve("txredisapi/METADATA"), (String) invoke(checkout, "metadata"));
            model.put("txredisapi", Map.of("site_packages", SITE_PACKAGES, "dist_info", SITE_PACKAGES + "/txredisapi-" + version + ".dist-info"));
        }
        var constructor = Class.forName(PACKAGE + "RedisClientCheck").getDeclaredConstructor(String.class);
        constructor.setAccessible(true);
        Object check = constructor.newInstance(topology.packageSource().python());
        model.put("worker_exec_condition", !topology.workers().isEmpty() && topology.redisSocket().isPresent()
                ? "[Service]\n# skipped, not failed, while Synapse cannot load txredisapi\nExecCondition=" + invoke(check, "execCondition") + "\n" : "");

        List<Map<String, Object>> redis = new ArrayList<>();
        deployment.redisSettings().forEach((key, value) -> redis.add(Map.of("key", key, "value", value)));
        model.put("redis_settings", redis);

        List<Map<String, Object>> memberships = new ArrayList<>();
        for (GroupMembership membership : deployment.groupMemberships()) {
            memberships.add(Map.of("user", membership.user(), "group", membership.group(), "notify", List.of(handlerName(membership.takesEffectAfter()))));
        }
        model.put("group_memberships", memberships);
        List<Map<String, Object>> directories = new ArrayList<>();
        for (RenderedDirectory directory : deployment.directories()) {
            directories.add(Map.of("path", directory.path(), "owner", directory.owner(), "group", directory.group(), "mode", octal(directory.mode())));
        }
        model.put("directories", directories);

        Optional<PostgresDatabase> database = topology.database();
        String passwordFile = topology.secretsDirectory() + "/database_password";
        database.ifPresent(db -> model.put("database", Map.of("name", db.name(), "user", db.user(), "password_file", passwordFile,
                "max_connections", Math.max(100, deployment.databaseConnections() + 20))));
        model.put("secrets_directory", topology.secretsDirectory());
        List<Map<String, Object>> secrets = new ArrayList<>();
        for (SecretFile secret : deployment.secretFiles()) {
            boolean passfile = database.map(PostgresDatabase::passfile).filter(secret.path()::equals).isPresent();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("path", secret.path());
            entry.put("owner", secret.owner());
            entry.put("group", secret.group());
            entry.put("mode", octal(secret.mode()));
            entry.put("prefix", secret.contentPrefix());
            entry.put("derived_from", passfile ? passwordFile : "");
            entry.put("notify", secret.onChange().stream().map(DumpModel::handlerName).toList());
            secrets.add(entry);
        }
        model.put("secret_files", secrets);

        List<Map<String, Object>> files = new ArrayList<>();
        for (RenderedFile file : deployment.files()) {
            Path target = out.resolve("files" + file.path());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.content());
            files.add(Map.of("path", file.path(), "owner", file.owner(), "group", file.group(), "mode", octal(file.mode()),
                    "notify", file.onChange().stream().map(DumpModel::handlerName).distinct().toList()));
        }
        model.put("files", files);
        List<String> workers = topology.workers().stream().map(SynapseWorker::name).toList();
        model.put("worker_services", workers.stream().map(SynapseDeployment::workerService).toList());
        List<String> units = new ArrayList<>(List.of(SynapseDeployment.TARGET, SynapseDeployment.MAIN_SERVICE));
        units.addAll(workers.stream().map(SynapseDeployment::workerService).toList());
        model.put("units", units);

        Files.writeString(out.resolve("handlers.yml"), handlers(deployment));
        Files.writeString(out.resolve("model.json"), Json.write(model) + "\n");
    }

    /**
     * The Ansible handlers, from SynapseServer's own (ServiceHandlers): a restart or reload acts, as
     * RestartOutdated does, only on running units whose main process started before one of its files
     * changed; nginx is tested and reloaded; the daemon-reload (a step in SynapseServer) is a handler
     * flushed before the services start. Redis's restart is a task, as it is a step there.
     */
    static String handlers(SynapseDeployment deployment) throws Exception {
        StringBuilder yaml = new StringBuilder("# Generated by bench/synapse/DumpModel.java from SynapseServer's handlers, in their order.\n"
                + "- name: \"" + handlerName(new ServiceAction.DaemonReload()) + "\"\n  ansible.builtin.systemd: { daemon_reload: true }\n");
        Method of = Class.forName(PACKAGE + "ServiceHandlers").getDeclaredMethod("of", SynapseDeployment.class);
        of.setAccessible(true);
        for (Object planned : (List<?>) of.invoke(null, deployment)) {
            ServiceAction action = (ServiceAction) invoke(planned, "action");
            Object task = invoke(planned, "task");
            yaml.append("- name: \"").append(handlerName(action)).append("\"\n");
            if (task.getClass().getSimpleName().equals("RestartOutdated")) {
                List<?> units = (List<?>) field(task, "units");
                List<?> files = (List<?>) field(task, "files");
                String verb = (boolean) field(task, "reload") ? "reload" : "restart";
                yaml.append("  ansible.builtin.shell: |\n")
                        .append("    for u in ").append(quoted(units)).append("; do\n")
                        .append("      case $(systemctl show -P ActiveState \"$u\") in active|activating|reloading) ;; *) continue ;; esac\n")
                        .append("      started=$(systemctl show -P ExecMainStartTimestamp --timestamp=us+utc \"$u\"); [ -n \"$started\" ] || continue\n")
                        .append("      [ -z \"$(find ").append(quoted(files)).append(" -maxdepth 0 -newermt \"$started\" 2>/dev/null | head -n 1)\" ] || systemctl ")
                        .append(verb).append(" \"$u\"\n")
                        .append("    done\n");
            } else {
                yaml.append("  ansible.builtin.shell: nginx -t && systemctl reload-or-restart nginx.service\n");
            }
        }
        return yaml.toString();
    }

    static String handlerName(ServiceAction action) {
        return action.command();
    }

    static String quoted(List<?> words) {
        return String.join(" ", words.stream().map(w -> "'" + w.toString().replace("'", "'\\''") + "'").toList());
    }

    static Object field(Object target, String name) throws Exception {
        var f = target.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
    }

    static String octal(int mode) {
        return String.format("%04o", mode);
    }

    static Object call(String className, String method, Object argument) throws Exception {
        for (Method m : Class.forName(className).getDeclaredMethods()) {
            if (m.getName().equals(method) && m.getParameterCount() == 1) {
                m.setAccessible(true);
                return m.invoke(null, argument);
            }
        }
        throw new NoSuchMethodException(className + "." + method);
    }

    static Object invoke(Object target, String method) throws Exception {
        Method m = target.getClass().getDeclaredMethod(method);
        m.setAccessible(true);
        return m.invoke(target);
    }

    /** Just enough JSON for maps, lists, strings, numbers and booleans. */
    static final class Json {
        static String write(Object value) {
            if (value instanceof Map<?, ?> map) {
                List<String> entries = new ArrayList<>();
                map.forEach((k, v) -> entries.add(write(String.valueOf(k)) + ": " + write(v)));
                return "{" + String.join(", ", entries) + "}";
            }
            if (value instanceof List<?> list) {
                return "[" + String.join(", ", list.stream().map(Json::write).toList()) + "]";
            }
            if (value instanceof Number || value instanceof Boolean) {
                return value.toString();
            }
            String s = String.valueOf(value);
            StringBuilder b = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\t' -> b.append("\\t");
                    default -> b.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
                }
            }
            return b.append('"').toString();
        }
    }
}
