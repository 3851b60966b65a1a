package dev.provision.tasks.templates;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import dev.provision.tasks.yaml.YamlWriter;

import java.util.Map;

/** Ansible's {@code to_yaml} and {@code to_nice_yaml(indent=4)}, written like {@code YamlDocument} files. */
final class YamlFilter implements Filter {

    private final String name;
    private final int defaultIndent;

    YamlFilter(String name, int defaultIndent) {
        this.name = name;
        this.defaultIndent = defaultIndent;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Object filter(Object value, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        Object indent = kwargs.getOrDefault("indent", args.length > 0 ? args[0] : defaultIndent);
        return YamlWriter.write(value, Integer.parseInt(String.valueOf(indent)));
    }

    @Override
    public Object filter(Object value, JinjavaInterpreter interpreter, String... args) {
        return filter(value, interpreter, args, Map.of());
    }
}
