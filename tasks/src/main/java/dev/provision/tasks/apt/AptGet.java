package dev.provision.tasks.apt;

import dev.provision.task.Shell;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The apt-get command lines of the apt tasks: never asking questions, waiting for a busy dpkg lock.
 * Scripts check each step themselves: the engine runs them on the left of {@code ||}, where
 * {@code set -e} has no effect.
 */
final class AptGet {

    private static final String APT_GET = "DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=300";

    private AptGet() {
    }

    /** Fails on any repository that could not be fetched, then records when the lists were updated. */
    static String update() {
        return APT_GET + " -o APT::Update::Error-Mode=any update || exit $?\n"
                + "mkdir -p " + AptCache.STAMP.substring(0, AptCache.STAMP.lastIndexOf('/'))
                + " && touch " + AptCache.STAMP + "\n";
    }

    /** Installs or upgrades; changed configuration files keep the admin's version. */
    static String install(List<String> packages) {
        return APT_GET + " -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold install " + words(packages) + "\n";
    }

    static String remove(List<String> packages, boolean purge) {
        return APT_GET + (purge ? " purge " : " remove ") + words(packages) + "\n";
    }

    /** Finishes what an interrupted dpkg run left unconfigured; apt refuses to install until then. */
    static String finishInterrupted() {
        return "DEBIAN_FRONTEND=noninteractive dpkg --force-confdef --force-confold --configure -a\n";
    }

    /** After an update in the same script: fail clearly if a package is still unknown. */
    static String requireKnown(List<String> packages) {
        return "for p in " + words(packages) + "; do\n"
                + "  LC_ALL=C apt-cache policy \"$p\" 2>/dev/null | grep -q '^  Candidate: [^(]' || {\n"
                + "    echo \"package $p is not known to apt on $(uname -n): check the name or add its repository\" >&2; exit 1; }\n"
                + "done\n";
    }

    private static String words(List<String> packages) {
        return packages.stream().map(Shell::quote).collect(Collectors.joining(" "));
    }
}
