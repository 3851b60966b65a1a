package dev.provision.tasks.yaml;

import dev.provision.tasks.files.Content;

import java.nio.charset.StandardCharsets;

/**
 * A YAML file's content from Java maps and lists, rendered by {@link YamlWriter} when the task is planned:
 *
 * <pre>{@code
 * Map<String, Object> listener = new LinkedHashMap<>();
 * listener.put("path", "/run/synapse/main.sock");
 * listener.put("mode", Octal.of(0660));
 * Files.file("/etc/matrix-synapse/conf.d/listeners.yaml").content(YamlDocument.of(Map.of("listeners", List.of(listener))));
 * }</pre>
 */
public final class YamlDocument implements Content {

    private final Object document;
    private final YamlStyle style;

    private YamlDocument(Object document, YamlStyle style) {
        this.document = document;
        this.style = style;
    }

    public static YamlDocument of(Object document) {
        return of(document, YamlStyle.BLOCK);
    }

    public static YamlDocument of(Object document, YamlStyle style) {
        return new YamlDocument(document, style);
    }

    public String render() {
        return YamlWriter.write(document, style);
    }

    @Override
    public byte[] bytes() {
        return render().getBytes(StandardCharsets.UTF_8);
    }
}
