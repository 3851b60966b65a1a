package dev.provision.engine.inventory;

import dev.provision.dsl.Secret;
import dev.provision.engine.connect.ConnectionSettings;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Reads an inventory file (the format is described on {@link Inventory}). The YAML is walked node by
 * node rather than bound to classes, so that every message can name the file, line and column.
 */
final class InventoryReader {

    private static final String ALL = "all";
    private static final String DEPLOYMENTS = "deployments";
    private static final Tag SECRET_TAG = new Tag("!secret");
    private static final List<String> SETTING_KEYS = Arrays.stream(Setting.values()).map(s -> s.key).toList();
    private static final List<String> HOST_KEYS = Stream.concat(SETTING_KEYS.stream(), Stream.of("vars")).toList();
    private static final List<String> GROUP_KEYS = Stream.concat(Stream.of("hosts", "groups", "vars"),
            SETTING_KEYS.stream().filter(key -> !key.equals(Setting.ADDRESS.key))).toList();

    private final Path file;
    private final SshConfig sshConfig;
    private final ValueConstructor constructor = new ValueConstructor();
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, HostDefinition> hosts = new LinkedHashMap<>();
    private final List<Entry> deployments = new ArrayList<>();

    InventoryReader(Path file, SshConfig sshConfig) {
        this.file = file;
        this.sshConfig = sshConfig;
    }

    private record Located(Object value, Mark mark) {
    }

    private record Entry(String key, Mark mark, Node value) {
    }

    /** Something that sets values: a group, or a host (which may be listed under several groups). */
    private abstract static class Layer {
        final String name;
        final Mark mark;
        final Map<Setting, Located> settings = new EnumMap<>(Setting.class);
        final Map<String, Located> vars = new LinkedHashMap<>();

        Layer(String name, Mark mark) {
            this.name = name;
            this.mark = mark;
        }

        abstract String describe();
    }

    private static final class Group extends Layer {
        final Group parent;

        Group(String name, Mark mark, Group parent) {
            super(name, mark);
            this.parent = parent;
        }

        boolean isInside(Group other) {
            for (Group group = parent; group != null; group = group.parent) {
                if (group == other) {
                    return true;
                }
            }
            return false;
        }

        @Override
        String describe() {
            return "group " + name;
        }
    }

    private static final class HostDefinition extends Layer {
        final Set<Group> groups = new LinkedHashSet<>();

        HostDefinition(String name, Mark mark) {
            super(name, mark);
        }

        @Override
        String describe() {
            return "host " + name;
        }
    }

    Inventory read() {
        try {
            Node root = compose();
            if (root == null) {
                throw new InventoryException(file + ": the inventory is empty; it starts with `all:`");
            }
            for (Entry entry : keyed(root, "the inventory", List.of(ALL, DEPLOYMENTS))) {
                if (entry.key().equals(ALL)) {
                    group(ALL, entry.value(), null, entry.mark());
                } else {
                    deployments.addAll(entries(entry.value(), "the deployments"));
                }
            }
            if (groups.isEmpty()) {
                throw error(root.getStartMark(), "the inventory has no `all:`");
            }
            for (HostDefinition host : hosts.values()) {
                if (groups.containsKey(host.name)) {
                    throw error(host.mark, host.name + " is the name of a host and of a group (" + at(groups.get(host.name).mark)
                            + "); names must be unique");
                }
            }
            List<InventoryHost> resolved = hosts.values().stream().map(this::resolve).toList();
            return new Inventory(file, resolved, deployments.stream().map(entry -> deployment(entry, resolved)).toList());
        } catch (MarkedYAMLException e) {
            String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
            throw error(e.getProblemMark(), "invalid YAML" + context + ": " + e.getProblem());
        } catch (YAMLException e) {
            throw new InventoryException(file + ": invalid YAML: " + e.getMessage());
        }
    }

    private Node compose() {
        try (Reader reader = Files.newBufferedReader(file)) {
            return new Yaml(constructor).compose(reader);
        } catch (NoSuchFileException e) {
            throw new InventoryException("inventory " + file + " not found");
        } catch (IOException e) {
            throw new InventoryException("cannot read inventory " + file + ": " + e.getMessage());
        }
    }

    private void group(String name, Node node, Group parent, Mark mark) {
        if (parent != null && name.equals(ALL)) {
            throw error(mark, "the group name `all` is reserved for the whole inventory");
        }
        Group existing = groups.get(name);
        if (existing != null) {
            throw error(mark, "group " + name + " is defined twice (first at " + at(existing.mark) + "); define it once, where it nests");
        }
        Group group = new Group(name, mark, parent);
        groups.put(name, group);
        for (Entry entry : keyed(node, group.describe(), GROUP_KEYS)) {
            switch (entry.key()) {
                case "hosts" -> entries(entry.value(), "the hosts of " + group.describe())
                        .forEach(host -> host(host.key(), host.value(), group, host.mark()));
                case "groups" -> entries(entry.value(), "the groups of " + group.describe())
                        .forEach(child -> group(child.key(), child.value(), group, child.mark()));
                default -> set(group, entry);
            }
        }
    }

    private void host(String name, Node node, Group group, Mark mark) {
        HostDefinition host = hosts.computeIfAbsent(name, n -> new HostDefinition(n, mark));
        host.groups.add(group);
        for (Entry entry : keyed(node, host.describe(), HOST_KEYS)) {
            set(host, entry);
        }
    }

    private void set(Layer layer, Entry entry) {
        if (entry.key().equals("vars")) {
            for (Entry variable : entries(entry.value(), "the vars of " + layer.describe())) {
                Object value = constructor.construct(variable.value());
                if (value == null) {
                    throw error(variable.mark(), "variable " + variable.key() + " of " + layer.describe() + " has no value");
                }
                putOnce(layer, layer.vars, variable.key(), "variable " + variable.key(),
                        new Located(SecretVariables.protect(variable.key(), value), variable.mark()));
            }
            return;
        }
        Setting setting = Setting.byKey(entry.key()).orElseThrow();
        Object value;
        try {
            value = setting.parse(constructor.construct(entry.value()));
        } catch (IllegalArgumentException e) {
            throw error(entry.value().getStartMark(), setting.key + " of " + layer.describe() + ": " + e.getMessage());
        }
        putOnce(layer, layer.settings, setting, setting.key, new Located(value, entry.mark()));
    }

    /** A host listed under several groups may give each key in one place only. */
    private <K> void putOnce(Layer layer, Map<K, Located> values, K key, String what, Located value) {
        Located earlier = values.putIfAbsent(key, value);
        if (earlier != null) {
            throw error(value.mark(), layer.describe() + " sets " + what + " twice (also at " + at(earlier.mark()) + ")");
        }
    }

    private InventoryHost resolve(HostDefinition host) {
        Set<Group> memberOf = new LinkedHashSet<>();
        for (Group direct : host.groups) {
            for (Group group = direct; group != null; group = group.parent) {
                memberOf.add(group);
            }
        }
        List<Group> layers = groups.values().stream().filter(memberOf::contains).toList();
        Map<Setting, Located> settings = new EnumMap<>(Setting.class);
        for (Setting setting : Setting.values()) {
            resolve(host, layers, layer -> layer.settings, setting, setting.key).ifPresent(value -> settings.put(setting, value));
        }
        Set<String> names = new LinkedHashSet<>();
        layers.forEach(layer -> names.addAll(layer.vars.keySet()));
        names.addAll(host.vars.keySet());
        Map<String, Object> vars = new LinkedHashMap<>();
        for (String name : names) {
            resolve(host, layers, layer -> layer.vars, name, "variable " + name).ifPresent(value -> vars.put(name, value.value()));
        }
        List<String> groupNames = layers.stream().filter(group -> group.parent != null).map(group -> group.name).toList();
        Optional<InventoryHost.PlaybookName> playbook = Optional.ofNullable(settings.get(Setting.PLAYBOOK))
                .map(value -> new InventoryHost.PlaybookName((String) value.value(), at(value.mark())));
        return new InventoryHost(host.name, groupNames, vars, connection(host.name, settings), playbook);
    }

    /**
     * A value for one host: its own, else the one of the innermost group that sets it. Two groups that
     * set it differently, neither inside the other, are a conflict the inventory must settle.
     */
    private <K> Optional<Located> resolve(HostDefinition host, List<Group> groups, Function<Layer, Map<K, Located>> values,
                                          K key, String what) {
        Located own = values.apply(host).get(key);
        if (own != null) {
            return Optional.of(own);
        }
        List<Group> setting = groups.stream().filter(group -> values.apply(group).containsKey(key)).toList();
        List<Group> innermost = setting.stream().filter(group -> setting.stream().noneMatch(other -> other.isInside(group))).toList();
        if (innermost.isEmpty()) {
            return Optional.empty();
        }
        Group first = innermost.get(0);
        Located chosen = values.apply(first).get(key);
        for (Group other : innermost) {
            Located theirs = values.apply(other).get(key);
            if (!theirs.value().equals(chosen.value())) {
                throw error(host.mark, host.describe() + " gets " + what + " from " + first.describe() + " (" + at(chosen.mark())
                        + ") and from " + other.describe() + " (" + at(theirs.mark()) + "), neither inside the other:"
                        + " set it on the host or in one of them");
            }
        }
        return Optional.of(chosen);
    }

    private ConnectionSettings connection(String name, Map<Setting, Located> settings) {
        boolean become = value(settings, Setting.BECOME, Boolean.class).orElse(false);
        Optional<Secret> becomePassword = value(settings, Setting.BECOME_PASSWORD, Secret.class);
        if (value(settings, Setting.CONNECTION, String.class).orElse(Setting.SSH).equals(Setting.LOCAL)) {
            return ConnectionSettings.localShell().toBuilder().become(become, becomePassword).build();
        }
        Optional<String> address = value(settings, Setting.ADDRESS, String.class);
        SshConfig.Entry ssh = sshConfig.lookup(address.orElse(name));
        ConnectionSettings.Builder connection = ConnectionSettings.ssh(
                        address.or(ssh::hostName).orElse(name),
                        value(settings, Setting.PORT, Integer.class).or(ssh::port).orElse(22),
                        value(settings, Setting.USER, String.class).or(ssh::user).orElse(System.getProperty("user.name")))
                .toBuilder()
                .become(become, becomePassword)
                .identityFiles(paths(settings, Setting.IDENTITY_FILE).orElse(ssh.identityFiles()));
        paths(settings, Setting.KNOWN_HOSTS).ifPresent(files -> connection.knownHosts(files, false));
        value(settings, Setting.PASSWORD, Secret.class).ifPresent(connection::password);
        return connection.build();
    }

    private static <T> Optional<T> value(Map<Setting, Located> settings, Setting setting, Class<T> type) {
        return Optional.ofNullable(settings.get(setting)).map(located -> type.cast(located.value()));
    }

    private Optional<List<Path>> paths(Map<Setting, Located> settings, Setting setting) {
        Path folder = file.toAbsolutePath().getParent();
        return value(settings, setting, List.class)
                .map(paths -> ((List<?>) paths).stream().map(path -> Paths.resolve(folder, (String) path)).toList());
    }

    /** A deployment: its class and its roles, each role's hosts and groups resolved to hosts. */
    private InventoryDeployment deployment(Entry deployment, List<InventoryHost> known) {
        String owner = "deployment " + deployment.key();
        String className = null;
        String definedAt = at(deployment.mark());
        Map<String, List<String>> roles = new LinkedHashMap<>();
        for (Entry entry : keyed(deployment.value(), owner, List.of("class", "roles"))) {
            if (entry.key().equals("class")) {
                className = scalarText(entry, owner);
                definedAt = at(entry.value().getStartMark());
            } else {
                for (Entry role : entries(entry.value(), "the roles of " + owner)) {
                    roles.put(role.key(), roleHosts(role, owner, known));
                }
            }
        }
        if (className == null) {
            throw error(deployment.mark(), owner + " has no class: set `class: CLASS`, a dev.provision.dsl.Deployment");
        }
        if (roles.isEmpty()) {
            throw error(deployment.mark(), owner + " has no roles: set `roles:` with the hosts of each role");
        }
        if (hosts.containsKey(deployment.key()) || groups.containsKey(deployment.key())) {
            throw error(deployment.mark(), "deployment " + deployment.key() + " has the name of a host or group; names must be unique");
        }
        return new InventoryDeployment(deployment.key(), className, definedAt, roles);
    }

    private List<String> roleHosts(Entry role, String owner, List<InventoryHost> known) {
        List<Node> names = role.value() instanceof SequenceNode list ? list.getValue() : List.of(role.value());
        List<String> chosen = new ArrayList<>();
        for (Node name : names) {
            if (!(name instanceof ScalarNode scalar) || scalar.getValue().isBlank()) {
                throw error(name.getStartMark(), "role " + role.key() + " of " + owner + " takes host or group names");
            }
            List<String> matched = known.stream().filter(host -> host.name().equals(scalar.getValue())
                    || host.groups().contains(scalar.getValue())).map(InventoryHost::name).toList();
            if (matched.isEmpty()) {
                throw error(scalar.getStartMark(), "role " + role.key() + " of " + owner + " names " + scalar.getValue()
                        + ", which is no host or group of this inventory");
            }
            matched.stream().filter(host -> !chosen.contains(host)).forEach(chosen::add);
        }
        return known.stream().map(InventoryHost::name).filter(chosen::contains).toList();
    }

    private String scalarText(Entry entry, String owner) {
        if (!(entry.value() instanceof ScalarNode scalar) || scalar.getValue().isBlank()) {
            throw error(entry.value().getStartMark(), entry.key() + " of " + owner + " must be a name");
        }
        return scalar.getValue();
    }

    /** The entries of a mapping whose keys are fixed words: any other key is an error that lists the allowed ones. */
    private List<Entry> keyed(Node node, String owner, List<String> allowed) {
        List<Entry> entries = entries(node, owner);
        for (Entry entry : entries) {
            if (!allowed.contains(entry.key())) {
                throw error(entry.mark(), "unknown key '" + entry.key() + "' in " + owner + "; allowed keys: " + String.join(", ", allowed));
            }
        }
        return entries;
    }

    /** The entries of a mapping in file order; an empty value ({@code web1:}) is an empty mapping. */
    private List<Entry> entries(Node node, String owner) {
        if (node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL)) {
            return List.of();
        }
        if (!(node instanceof MappingNode mapping)) {
            throw error(node.getStartMark(), owner + " must be a mapping (key: value lines)");
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key) || key.getTag().equals(Tag.MERGE)) {
                throw error(tuple.getKeyNode().getStartMark(), "keys in " + owner + " must be plain names (`<<` merges work inside vars only)");
            }
            Entry earlier = entries.putIfAbsent(key.getValue(), new Entry(key.getValue(), key.getStartMark(), tuple.getValueNode()));
            if (earlier != null) {
                throw error(key.getStartMark(), "'" + key.getValue() + "' appears twice in " + owner + " (first at " + at(earlier.mark()) + ")");
            }
        }
        return new ArrayList<>(entries.values());
    }

    private InventoryException error(Mark mark, String message) {
        return new InventoryException(at(mark) + ": " + message);
    }

    /** {@code inventory.yaml:12:5}: line and column counted from 1. */
    private String at(Mark mark) {
        return mark == null ? file.toString() : file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
    }

    /** YAML values with {@code !secret} support, constructed one node at a time. */
    private final class ValueConstructor extends SafeConstructor {

        ValueConstructor() {
            super(loaderOptions());
            yamlConstructors.put(SECRET_TAG, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    if (!(node instanceof ScalarNode scalar)) {
                        throw error(node.getStartMark(), "!secret applies to a single value, not to a list or mapping");
                    }
                    return Secret.of(scalar.getValue());
                }
            });
        }

        Object construct(Node node) {
            return constructDocument(node);
        }
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return options;
    }
}
