package dev.provision.cli;

import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import java.io.IOException;
import java.util.Locale;

/**
 * A compiler error as an operator reads it:
 * <pre>
 * MyServer.java:12:23: error: cannot find symbol
 *         step("nginx", Apt.presnt("nginx"));
 *                          ^
 *   symbol:   method presnt(String)
 * </pre>
 * The column counts characters (a tab is one), so it and the caret agree with the line shown.
 */
final class SourceError {

    private SourceError() {
    }

    static String of(Diagnostic<? extends JavaFileObject> error) {
        String[] message = error.getMessage(Locale.ROOT).split("\n", 2);
        if (error.getSource() == null || error.getPosition() == Diagnostic.NOPOS) {
            return "error: " + String.join("\n", message);
        }
        String content = content(error.getSource());
        int position = (int) Math.min(error.getPosition(), content.length());
        int lineStart = content.lastIndexOf('\n', position - 1) + 1;
        int lineEnd = content.indexOf('\n', position);
        String line = content.substring(lineStart, lineEnd < 0 ? content.length() : lineEnd).stripTrailing();
        String beforeCaret = content.substring(lineStart, position).replaceAll("[^\t]", " ");
        return error.getSource().getName() + ":" + error.getLineNumber() + ":" + (position - lineStart + 1) + ": error: " + message[0]
                + "\n" + line + "\n" + beforeCaret + "^" + (message.length > 1 ? "\n" + message[1] : "");
    }

    private static String content(JavaFileObject source) {
        try {
            return source.getCharContent(true).toString();
        } catch (IOException e) {
            return "";
        }
    }
}
