package dev.provision.dsl;

import java.util.ArrayList;
import java.util.List;

/**
 * Before and after text of a content change, rendered as a unified diff. Secrets are masked by the
 * engine when it prints the diff, not here.
 */
public record Diff(String path, String before, String after) {

    private static final int CONTEXT = 3;

    /** A unified diff ({@code --- a/path}, {@code +++ b/path}, hunks with three lines of context). */
    public String unified() {
        List<String> a = lines(before);
        List<String> b = lines(after);
        List<Edit> edits = edits(a, b);
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(before.isEmpty() ? "/dev/null" : path).append(" (before)\n");
        out.append("+++ ").append(path).append(" (after)\n");
        int i = 0;
        while (i < edits.size()) {
            if (edits.get(i).op == ' ') {
                i++;
                continue;
            }
            int start = Math.max(0, i - CONTEXT);
            int end = i;
            // extend the hunk while the next change is within 2*CONTEXT unchanged lines
            int lastChange = i;
            for (int j = i; j < edits.size(); j++) {
                if (edits.get(j).op != ' ') {
                    lastChange = j;
                } else if (j - lastChange > 2 * CONTEXT) {
                    break;
                }
                end = j;
            }
            end = Math.min(edits.size() - 1, lastChange + CONTEXT);
            appendHunk(out, edits, start, end);
            i = end + 1;
        }
        return out.toString();
    }

    private static void appendHunk(StringBuilder out, List<Edit> edits, int start, int end) {
        int oldStart = edits.get(start).oldLine;
        int newStart = edits.get(start).newLine;
        int oldCount = 0;
        int newCount = 0;
        for (int k = start; k <= end; k++) {
            char op = edits.get(k).op;
            if (op != '+') oldCount++;
            if (op != '-') newCount++;
        }
        out.append("@@ -").append(oldCount == 0 ? oldStart : oldStart + 1).append(',').append(oldCount)
                .append(" +").append(newCount == 0 ? newStart : newStart + 1).append(',').append(newCount)
                .append(" @@\n");
        for (int k = start; k <= end; k++) {
            out.append(edits.get(k).op).append(edits.get(k).text).append('\n');
        }
    }

    private record Edit(char op, String text, int oldLine, int newLine) {}

    /** Longest-common-subsequence edit script; config files are small enough for O(n*m). */
    private static List<Edit> edits(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int x = n - 1; x >= 0; x--) {
            for (int y = m - 1; y >= 0; y--) {
                lcs[x][y] = a.get(x).equals(b.get(y)) ? lcs[x + 1][y + 1] + 1 : Math.max(lcs[x + 1][y], lcs[x][y + 1]);
            }
        }
        List<Edit> edits = new ArrayList<>();
        int x = 0;
        int y = 0;
        while (x < n || y < m) {
            if (x < n && y < m && a.get(x).equals(b.get(y))) {
                edits.add(new Edit(' ', a.get(x), x++, y++));
            } else if (x < n && (y == m || lcs[x + 1][y] >= lcs[x][y + 1])) {
                edits.add(new Edit('-', a.get(x), x++, y));
            } else {
                edits.add(new Edit('+', b.get(y), x, y++));
            }
        }
        return edits;
    }

    private static List<String> lines(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (text.endsWith("\n")) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }
}
