package dev.provision.engine.inventory;

import dev.provision.dsl.Secret;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Variables that are secret by their name: a string whose key has one of the words password,
 * passphrase, secret or token ({@code db_password}, {@code macaroon_secret_key}, {@code api-token})
 * becomes a {@link Secret}, at any depth of a variable's value. Numbers and booleans stay as they
 * are, so {@code password_min_length: 8} remains a number; tag a value {@code !secret} to make
 * anything else secret.
 */
final class SecretVariables {

    private static final Set<String> SECRET_WORDS = Set.of("password", "passphrase", "secret", "token");

    private SecretVariables() {
    }

    static boolean hasSecretName(String key) {
        for (String word : key.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (SECRET_WORDS.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /** The value with every string under a secret name wrapped in a {@link Secret}. */
    static Object protect(String key, Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> protectedMap = new LinkedHashMap<>();
            map.forEach((k, v) -> protectedMap.put(k, protect(String.valueOf(k), v)));
            return protectedMap;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(element -> protect(key, element)).toList();
        }
        if (value instanceof String text && hasSecretName(key)) {
            return Secret.of(text);
        }
        return value;
    }
}
