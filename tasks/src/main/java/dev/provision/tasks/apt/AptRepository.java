package dev.provision.tasks.apt;

import dev.provision.task.CommandResult;
import dev.provision.task.Fact;
import dev.provision.task.FactException;
import dev.provision.task.Facts;
import dev.provision.task.Plan;
import dev.provision.task.Task;
import dev.provision.tasks.AllOf;
import dev.provision.tasks.files.Files;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A third-party repository signed by its own key, the deb822 way: the key in
 * {@code /etc/apt/keyrings/<name>.asc} (ASCII-armoured) or {@code .gpg} (binary), and
 * {@code /etc/apt/sources.list.d/<name>.sources} naming it in {@code Signed-By}, so the key vouches
 * for this repository only. The suite defaults to the host's release codename.
 *
 * <pre>{@code
 * AptRepository matrix = Apt.repository("matrix-org").uri("https://packages.matrix.org/debian/")
 *         .components("main").signedBy(key);
 * step("matrix.org repository", matrix);
 * step("synapse", Apt.present("matrix-synapse-py3").from(matrix));
 * }</pre>
 *
 * Packages linked with {@link AptPackages#from} update the lists first whenever these files are
 * newer than the last update, or about to be written.
 */
public final class AptRepository implements Task {

    static final String KEYRINGS = "/etc/apt/keyrings";

    private static final Fact<String> CODENAME = Fact.of(". /etc/os-release && echo \"$VERSION_CODENAME\"", AptRepository::codename);

    private final String name;
    private final List<String> uris = new ArrayList<>();
    private final List<String> components = new ArrayList<>();
    private Optional<String> suite = Optional.empty();
    private byte[] key;

    AptRepository(String name) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("repository name '" + name + "' must be letters, digits, '_', '.' or '-'");
        }
        this.name = name;
    }

    public AptRepository uri(String uri) {
        uris.add(uri);
        return this;
    }

    /** Such as {@code bookworm}, {@code stable} or {@code ./} for a flat repository; the default is the host's codename. */
    public AptRepository suite(String suite) {
        this.suite = Optional.of(suite);
        return this;
    }

    public AptRepository components(String... components) {
        this.components.addAll(List.of(components));
        return this;
    }

    /** The repository's public key, ASCII-armoured or binary, exactly as its publisher ships it. */
    public AptRepository signedBy(byte[] key) {
        this.key = key.clone();
        return this;
    }

    public AptRepository signedBy(String armouredKey) {
        return signedBy(armouredKey.getBytes(StandardCharsets.US_ASCII));
    }

    public String name() {
        return name;
    }

    @Override
    public String describe() {
        return "apt repository " + name;
    }

    @Override
    public List<Fact<?>> facts() {
        List<Fact<?>> facts = new ArrayList<>(parts("").facts());
        if (suite.isEmpty()) {
            facts.add(CODENAME);
        }
        return facts;
    }

    @Override
    public Plan plan(Facts facts) {
        return parts(suite.orElseGet(() -> facts.get(CODENAME))).plan(facts);
    }

    private AllOf parts(String suiteOnHost) {
        if (uris.isEmpty() || key == null) {
            throw new IllegalStateException(describe() + " needs uri(...) and signedBy(...)");
        }
        String keyFile = KEYRINGS + "/" + name + (armoured() ? ".asc" : ".gpg");
        return AllOf.of(describe(),
                Files.directory(KEYRINGS).mode(0755),
                Files.file(keyFile).mode(0644).content(key),
                Files.file("/etc/apt/sources.list.d/" + name + ".sources").mode(0644).content(sources(suiteOnHost, keyFile)));
    }

    private boolean armoured() {
        return new String(key, 0, Math.min(key.length, 64), StandardCharsets.ISO_8859_1).contains("-----BEGIN PGP PUBLIC KEY BLOCK-----");
    }

    private String sources(String suiteOnHost, String keyFile) {
        return "Types: deb\n"
                + "URIs: " + String.join(" ", uris) + "\n"
                + "Suites: " + suiteOnHost + "\n"
                + (components.isEmpty() ? "" : "Components: " + String.join(" ", components) + "\n")
                + "Signed-By: " + keyFile + "\n";
    }

    private static String codename(CommandResult result) {
        String codename = result.stdout().trim();
        if (!result.succeeded() || codename.isEmpty()) {
            throw new FactException("/etc/os-release names no VERSION_CODENAME: give the repository a suite(...)");
        }
        return codename;
    }
}
