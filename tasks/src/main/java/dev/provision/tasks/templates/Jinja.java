package dev.provision.tasks.templates;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.interpret.UnknownTokenException;
import dev.provision.tasks.files.ContentException;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The one configured Jinjava: strict about undefined values, Ansible's block trimming, Ansible's filters. */
final class Jinja {

    private static final Jinjava JINJAVA = create();

    private Jinja() {
    }

    private static Jinjava create() {
        Jinjava jinjava = new Jinjava(JinjavaConfig.newBuilder()
                .withFailOnUnknownTokens(true)
                .withTrimBlocks(true)
                .build());
        List.of(new YamlFilter("to_yaml", 2), new YamlFilter("to_nice_yaml", 4),
                        JsonFilter.toJson(), JsonFilter.toNiceJson(),
                        new RegexReplaceFilter(), new MandatoryFilter(), new QuoteFilter())
                .forEach(jinjava.getGlobalContext()::registerFilter);
        return jinjava;
    }

    static String render(String name, String text, Map<String, Object> variables) {
        RenderResult result = JINJAVA.renderForResult(text, variables);
        if (!result.getErrors().isEmpty()) {
            throw new ContentException(result.getErrors().stream()
                    .map(error -> "template " + name + ", " + SourceLines.locate(text, error.getLineno(), undefined(error)) + ": "
                            + undefined(error).map(token -> "'" + token + "' is undefined").orElse(error.getMessage()))
                    .distinct()
                    .collect(Collectors.joining("\n")));
        }
        return result.getOutput();
    }

    private static Optional<String> undefined(TemplateError error) {
        return error.getException() instanceof UnknownTokenException unknown ? Optional.of(unknown.getToken()) : Optional.empty();
    }
}
