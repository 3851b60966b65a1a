package dev.provision.tasks.templates;

import com.hubspot.jinjava.interpret.InterpretException;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;

/** Ansible's {@code mandatory}: the value, or an error when it is undefined; {@code mandatory('why')} says why. */
final class MandatoryFilter implements Filter {

    @Override
    public String getName() {
        return "mandatory";
    }

    @Override
    public Object filter(Object value, JinjavaInterpreter interpreter, String... args) {
        if (value == null) {
            throw new InterpretException(args.length > 0 ? args[0] : "a mandatory variable is undefined", interpreter.getLineNumber());
        }
        return value;
    }
}
