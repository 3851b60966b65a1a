package dev.provision.engine.inventory;

import java.util.regex.Pattern;

/** Shell-style name patterns: {@code *} stands for any run of characters, {@code ?} for one. */
final class Glob {

    private Glob() {
    }

    static boolean matches(String pattern, String name) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.matches(regex.toString(), name);
    }
}
