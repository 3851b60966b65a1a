package dev.provision.dsl.engine;

import dev.provision.dsl.Playbook;
import dev.provision.dsl.Product;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What a deployment declared, as the engine reads it: its roles in the order they run (a role after
 * every role it waits for, declaration order otherwise), checked for unknown roles, cycles and
 * products named twice.
 */
public record DeploymentDefinition(String name, List<RoleEntry> roles, HostCheck hostCheck) {

    public DeploymentDefinition {
        roles = List.copyOf(roles);
    }

    /** What a deployment finds wrong with the hosts an inventory gives its roles, each problem naming the fix; empty when none. */
    @FunctionalInterface
    public interface HostCheck {
        HostCheck NONE = hostsByRole -> List.of();

        List<String> problems(Map<String, List<String>> hostsByRole);
    }

    /**
     * @param after    the roles that must have finished on all their hosts first
     * @param products what each host of the role makes for later roles
     */
    public record RoleEntry(String name, Supplier<? extends Playbook> playbook, List<String> after, List<Product<?>> products,
                            Rollout rollout) {

        public RoleEntry {
            after = List.copyOf(after);
            products = List.copyOf(products);
        }
    }

    /** A number of hosts, or a percentage of them. */
    public record Share(int count, boolean percent) {

        public static Share hosts(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("a number of hosts cannot be negative, not " + count);
            }
            return new Share(count, false);
        }

        public static Share percent(int percent) {
            if (percent < 0 || percent > 100) {
                throw new IllegalArgumentException("a percentage is 0 to 100, not " + percent);
            }
            return new Share(percent, true);
        }

        /** This share of {@code total} hosts, rounded down. */
        public int of(int total) {
            return percent ? total * count / 100 : count;
        }

        @Override
        public String toString() {
            return percent ? count + "%" : String.valueOf(count);
        }
    }

    /**
     * How a role's hosts run: all at once, or in batches; and how many failures of a batch stop the role.
     *
     * @param batch     hosts per batch (at least one); empty: all at once
     * @param tolerated failures of one batch the role goes on after; empty: any number
     */
    public record Rollout(Optional<Share> batch, Optional<Share> tolerated) {

        public static final Rollout ALL_AT_ONCE = new Rollout(Optional.empty(), Optional.empty());

        public Rollout withBatch(Share share) {
            if (share.count() == 0) {
                throw new IllegalArgumentException("a batch needs at least one host (serial 0 would run nothing)");
            }
            return new Rollout(Optional.of(share), tolerated);
        }

        public Rollout withTolerated(Share share) {
            return new Rollout(batch, Optional.of(share));
        }

        /** The hosts in batches, in the order given. */
        public <H> List<List<H>> batches(List<H> hosts) {
            int size = batch.map(share -> Math.max(1, share.of(hosts.size()))).orElse(Math.max(1, hosts.size()));
            List<List<H>> batches = new ArrayList<>();
            for (int from = 0; from < hosts.size(); from += size) {
                batches.add(hosts.subList(from, Math.min(hosts.size(), from + size)));
            }
            return batches;
        }

        /** Whether {@code failed} failures in a batch of {@code size} hosts stop the role. */
        public boolean stops(int failed, int size) {
            return tolerated.map(share -> share.percent() ? failed * 100 > share.count() * size : failed > share.count()).orElse(false);
        }
    }

    /** Checks the roles and puts them in running order. */
    public static DeploymentDefinition of(String name, List<RoleEntry> declared) {
        return of(name, declared, HostCheck.NONE);
    }

    /** Checks the roles and puts them in running order; {@code hostCheck} is run on the inventory's hosts before any is touched. */
    public static DeploymentDefinition of(String name, List<RoleEntry> declared, HostCheck hostCheck) {
        Map<String, RoleEntry> byName = new LinkedHashMap<>();
        declared.forEach(role -> byName.put(role.name(), role));
        Map<String, String> productOwners = new LinkedHashMap<>();
        for (RoleEntry role : declared) {
            for (String before : role.after()) {
                if (!byName.containsKey(before)) {
                    throw new IllegalArgumentException("role " + role.name() + " comes after " + before + ", which " + name
                            + " does not declare; declare it with role(\"" + before + "\", ...) first");
                }
            }
            for (Product<?> product : role.products()) {
                String owner = productOwners.putIfAbsent(product.name(), role.name());
                if (owner != null) {
                    throw new IllegalArgumentException("product '" + product.name() + "' is made by roles " + owner + " and "
                            + role.name() + "; give each product one name");
                }
            }
        }
        List<RoleEntry> ordered = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        while (ordered.size() < declared.size()) {
            RoleEntry next = declared.stream().filter(role -> !placed.contains(role.name()) && placed.containsAll(role.after()))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("the roles of " + name + " wait for each other in a circle: "
                            + String.join(", ", declared.stream().map(RoleEntry::name).filter(role -> !placed.contains(role)).toList())
                            + "; remove one of their after(...)"));
            ordered.add(next);
            placed.add(next.name());
        }
        return new DeploymentDefinition(name, ordered, hostCheck);
    }

    public RoleEntry role(String role) {
        return roles.stream().filter(entry -> entry.name().equals(role)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(name + " has no role " + role));
    }

    /** Every role {@code role} waits for, directly or through another. */
    public Set<String> before(String role) {
        Set<String> all = new LinkedHashSet<>();
        List<String> open = new ArrayList<>(role(role).after());
        while (!open.isEmpty()) {
            String next = open.remove(0);
            if (all.add(next)) {
                open.addAll(role(next).after());
            }
        }
        return all;
    }
}
