package dev.provision.tasks.apt;

import dev.provision.task.Change;
import dev.provision.task.CommandResult;
import dev.provision.task.Fact;
import dev.provision.task.Facts;
import dev.provision.task.Plan;
import dev.provision.task.Shell;
import dev.provision.task.Task;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Answers to a package's debconf questions, given before the package is installed so it never asks:
 * {@code Debconf.preseed("matrix-synapse").string("matrix-synapse/server-name", "example.org").bool("matrix-synapse/report-stats", false)}.
 *
 * <p>The current answers are read from debconf's database, {@code /var/cache/debconf/config.dat},
 * with awk: {@code debconf-get-selections} is not in a minimal Debian. Password questions live in a
 * separate file and are not supported here, since their answers would have to be read back.
 */
public final class Debconf implements Task {

    static final String CONFIG_DAT = "/var/cache/debconf/config.dat";

    private final String owner;
    private final Map<String, Answer> answers = new LinkedHashMap<>();

    private record Answer(String type, String value) {
    }

    private Debconf(String owner) {
        this.owner = owner;
    }

    /** Answers owned by this package. */
    public static Debconf preseed(String owner) {
        return new Debconf(owner);
    }

    public Debconf string(String question, String value) {
        return answer(question, "string", value);
    }

    public Debconf bool(String question, boolean value) {
        return answer(question, "boolean", Boolean.toString(value));
    }

    public Debconf select(String question, String choice) {
        return answer(question, "select", choice);
    }

    private Debconf answer(String question, String type, String value) {
        if (value.contains("\n")) {
            throw new IllegalArgumentException("a debconf answer is one line: " + question);
        }
        answers.put(question, new Answer(type, value));
        return this;
    }

    @Override
    public String describe() {
        return "debconf answers for " + owner;
    }

    @Override
    public List<Fact<?>> facts() {
        return List.of(current());
    }

    /** Prints {@code question<TAB>value} for each asked question debconf has a value for. */
    private Fact<Map<String, String>> current() {
        String questions = " " + String.join(" ", answers.keySet()) + " ";
        return Fact.of("[ ! -e " + CONFIG_DAT + " ] || awk -v q=" + Shell.quote(questions) + " "
                        + "'BEGIN { RS = \"\"; FS = \"\\n\" } "
                        + "{ n = \"\"; v = \"\"; has = 0; "
                        + "for (i = 1; i <= NF; i++) { if ($i ~ /^Name: /) n = substr($i, 7); else if ($i ~ /^Value: /) { v = substr($i, 8); has = 1 } } "
                        + "if (has && index(q, \" \" n \" \")) print n \"\\t\" v }' " + CONFIG_DAT,
                Debconf::parse);
    }

    static Map<String, String> parse(CommandResult result) {
        Map<String, String> values = new HashMap<>();
        for (String line : result.stdout().split("\n")) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                values.put(line.substring(0, tab), line.substring(tab + 1));
            }
        }
        return values;
    }

    @Override
    public Plan plan(Facts facts) {
        Map<String, String> now = facts.get(current());
        Map<String, Answer> changed = answers.entrySet().stream()
                .filter(e -> !Optional.ofNullable(now.get(e.getKey())).equals(Optional.of(e.getValue().value())))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
        if (changed.isEmpty()) {
            return Plan.ok();
        }
        String selections = changed.entrySet().stream()
                .map(e -> owner + " " + e.getKey() + " " + e.getValue().type() + " " + e.getValue().value() + "\n")
                .collect(Collectors.joining());
        String summary = changed.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue().value()).collect(Collectors.joining(", "));
        return Plan.of(Change.of("preseed " + summary, Shell.pipe(selections, "debconf-set-selections")));
    }
}
