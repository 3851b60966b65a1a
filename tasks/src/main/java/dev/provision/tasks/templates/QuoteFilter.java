package dev.provision.tasks.templates;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import dev.provision.task.Shell;

/** Ansible's {@code quote}: the value as one word for a POSIX shell. */
final class QuoteFilter implements Filter {

    @Override
    public String getName() {
        return "quote";
    }

    @Override
    public Object filter(Object value, JinjavaInterpreter interpreter, String... args) {
        return Shell.quote(value == null ? "" : value.toString());
    }
}
