package dev.gopatterns.jmh.docs;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The comparer behind {@link BenchmarkDocsTest}: finds every generated region of a benchmark report, and in it every
 * table with its {@code <!-- cells: ... -->} map, re-derives each mapped cell from the committed JMH JSON and Go
 * output named by the region, and returns one message per disagreement, naming the table, the row, the column and
 * both values.
 *
 * <p>The numbers are re-derived here, in Java, not by calling the Python renderer: the formatting rules are
 * restated ({@code fmt_ns}, {@code fmt_cell}, {@code fmt_ratio} in {@code modules/jmh/plot/benchlib.py}), with
 * half-even rounding of the exact binary value, as Python's {@code format} rounds. The map says which result a
 * cell shows; the test also requires that no number cell of a generated table is left out of the map, so a number
 * cannot be added by hand either.
 */
final class DocsTables {

    private static final Pattern BEGIN = Pattern.compile("^<!-- generated from (\\S+): do not edit -->$");
    private static final String END = "<!-- end generated -->";
    private static final String CELLS = "<!-- cells: ";

    private DocsTables() {}

    /**
     * @param doc   the report's name, for messages
     * @param text  the report's Markdown
     * @param files reads a file relative to the report's directory, or returns null if there is none
     * @return every disagreement; empty if the report agrees with its results
     */
    static List<String> check(String doc, String text, Function<String, String> files) {
        List<String> problems = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = BEGIN.matcher(lines[i]);
            if (!m.matches()) {
                continue;
            }
            String source = m.group(1);
            String json = files.apply(source);
            if (json == null) {
                problems.add(doc + ": the generated region at line " + (i + 1) + " names " + source
                        + ", which is not committed");
                continue;
            }
            Results results = new Results(json, files.apply(source.replaceAll("\\.json$", ".go.txt")));
            String heading = "(no heading)";
            int tableNo = 0;
            int j = i + 1;
            for (; j < lines.length && !lines[j].equals(END); j++) {
                if (lines[j].startsWith("#")) {
                    heading = lines[j].replaceFirst("^#+\\s*", "");
                } else if (lines[j].startsWith(CELLS)) {
                    tableNo++;
                    String where = doc + ", table " + tableNo + " (" + heading + ")";
                    List<Object> map = cast(Json.parse(lines[j].substring(CELLS.length(), lines[j].lastIndexOf("-->"))));
                    List<String[]> table = new ArrayList<>();
                    int k = j + 1;
                    for (; k < lines.length && lines[k].startsWith("|"); k++) {
                        table.add(cells(lines[k]));
                    }
                    checkTable(where, source, table, map, results, problems);
                    j = k - 1;
                } else if (lines[j].startsWith("|")) {
                    // A table without a cell map (the machine table, from the metadata) may hold no result number.
                    tableNo++;
                    List<String[]> table = new ArrayList<>();
                    int k = j;
                    for (; k < lines.length && lines[k].startsWith("|"); k++) {
                        table.add(cells(lines[k]));
                    }
                    checkTable(doc + ", table " + tableNo + " (" + heading + ", no cell map)", source, table,
                            List.of(), results, problems);
                    j = k - 1;
                }
            }
            if (j == lines.length) {
                problems.add(doc + ": the generated region at line " + (i + 1) + " has no " + END);
            }
            i = j;
        }
        return problems;
    }

    private static void checkTable(String where, String source, List<String[]> table, List<Object> map,
                                   Results results, List<String> problems) {
        if (table.size() < 2) {
            problems.add(where + ": a cell map with no table under it");
            return;
        }
        String[] head = table.get(0);
        List<String[]> rows = table.subList(2, table.size());
        Map<String, Boolean> mapped = new HashMap<>();
        for (Object o : map) {
            List<Object> entry = cast(o);
            int r = ((Double) entry.get(0)).intValue();
            int c = ((Double) entry.get(1)).intValue();
            mapped.put(r + ":" + c, true);
            if (r >= rows.size() || c >= rows.get(r).length) {
                problems.add(where + ": the cell map names row " + (r + 1) + ", column " + (c + 1)
                        + ", which the table does not have");
                continue;
            }
            String shown = rows.get(r)[c];
            String derived;
            try {
                derived = results.text(cast(entry.get(2)));
            } catch (RuntimeException e) {
                derived = "(cannot derive: " + e.getMessage() + ")";
            }
            if (!shown.equals(derived)) {
                problems.add(where + ", row " + rows.get(r)[0] + ", column \"" + head[c] + "\": the table says \""
                        + shown + "\" but " + source + " gives \"" + derived + "\"");
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < rows.get(r).length; c++) {
                String cell = rows.get(r)[c];
                if (!mapped.containsKey(r + ":" + c) && (cell.contains("±") || cell.contains("×"))) {
                    problems.add(where + ", row " + rows.get(r)[0] + ", column \"" + (c < head.length ? head[c] : c)
                            + "\": \"" + cell + "\" is a number no result stands behind (not in the cell map)");
                }
            }
        }
    }

    private static String[] cells(String line) {
        String inner = line.strip();
        inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
        String[] parts = inner.split("\\|", -1);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = parts[i].strip();
        }
        return parts;
    }

    @SuppressWarnings("unchecked")
    static <T> T cast(Object o) {
        return (T) o;
    }

    // ---------------------------------------------------------------------------------------------- formatting

    /** benchlib.fmt_ns: 3 significant figures or so, thousands separated, "n/a" for NaN. */
    static String formatNs(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        int scale = v >= 100 ? 0 : v >= 10 ? 1 : 2;
        BigDecimal rounded = new BigDecimal(v).setScale(scale, RoundingMode.HALF_EVEN);
        return String.format(Locale.ROOT, "%," + "." + scale + "f", rounded);
    }

    /** benchlib.fmt_cell: "mean ± error unit". */
    static String formatCell(double score, double error, String unit) {
        return formatNs(score) + " ± " + formatNs(error) + " " + unit;
    }

    /** benchlib.fmt_ratio: "a/b×", and a note when the two 99.9% intervals overlap (or are missing). */
    static String formatRatio(double[] a, double[] b) {
        String text = b[0] == 0 ? "n/a"
                : String.format(Locale.ROOT, "%.2f", new BigDecimal(a[0] / b[0]).setScale(2, RoundingMode.HALF_EVEN))
                        + "×";
        if (Double.isNaN(a[1]) || Double.isNaN(b[1])) {
            return text + " (no CI)";
        }
        return Math.abs(a[0] - b[0]) <= a[1] + b[1] ? text + " (CIs overlap: within noise)" : text;
    }

    // ------------------------------------------------------------------------------------------------- results

    /** One result set: the JMH entries and the Go runs, and the text each kind of cell reference derives. */
    static final class Results {
        private static final Pattern GO = Pattern.compile("^Benchmark(\\S+?)(?:-\\d+)?\\s+\\d+\\s+(.*)$");

        private final List<Map<String, Object>> jmh;
        private final Map<String, Map<String, List<Double>>> go = new HashMap<>();

        Results(String json, String goOutput) {
            jmh = cast(Json.parse(json));
            if (goOutput != null) {
                for (String line : goOutput.split("\n")) {
                    Matcher m = GO.matcher(line.strip());
                    if (!m.matches()) {
                        continue;
                    }
                    String[] f = m.group(2).trim().split("\\s+");
                    for (int i = 0; i + 1 < f.length; i += 2) {
                        try {
                            double v = Double.parseDouble(f[i]);
                            go.computeIfAbsent(m.group(1), k -> new HashMap<>())
                                    .computeIfAbsent(f[i + 1], k -> new ArrayList<>()).add(v);
                        } catch (NumberFormatException ignoredNotAMetric) {
                            // "PASS"-like words after the numbers: not a metric, as in benchlib.read_go_all
                        }
                    }
                }
            }
        }

        String text(Map<String, Object> ref) {
            String kind = (String) ref.get("k");
            return switch (kind) {
                case "jmh", "go" -> {
                    Value v = value(ref);
                    yield formatCell(v.score, v.error, v.unit);
                }
                case "ratio" -> {
                    Value a = value(cast(ref.get("a")));
                    Value b = value(cast(ref.get("b")));
                    yield formatRatio(new double[] {a.score, a.error}, new double[] {b.score, b.error});
                }
                default -> throw new IllegalArgumentException("unknown cell kind " + kind);
            };
        }

        record Value(double score, double error, String unit) {}

        Value value(Map<String, Object> ref) {
            if ("go".equals(ref.get("k"))) {
                String unit = ref.containsKey("u") ? (String) ref.get("u") : "ns/op";
                List<Double> values = go.getOrDefault((String) ref.get("n"), Map.of()).get(unit);
                if (values == null) {
                    throw new IllegalArgumentException("no Go result " + ref.get("n") + " in " + unit);
                }
                return goStat(values, unit);
            }
            Map<String, Object> params = cast(ref.get("p"));
            for (Map<String, Object> e : jmh) {
                Object p = e.get("params");
                if (e.get("benchmark").equals(ref.get("b")) && Objects.equals(p == null ? Map.of() : p, params)) {
                    Map<String, Object> metric = ref.get("m") == null ? cast(e.get("primaryMetric"))
                            : DocsTables.<Map<String, Map<String, Object>>>cast(e.get("secondaryMetrics"))
                                    .get((String) ref.get("m"));
                    if (metric == null) {
                        throw new IllegalArgumentException("no metric " + ref.get("m") + " for " + ref.get("b"));
                    }
                    return new Value(number(metric.get("score")), number(metric.get("scoreError")),
                            (String) metric.get("scoreUnit"));
                }
            }
            throw new IllegalArgumentException("no JMH result " + ref.get("b") + " " + params);
        }

        private static double number(Object o) {
            return o instanceof Double d ? d : Double.NaN; // JMH writes NaN as the string "NaN"
        }

        /** Python's statistics.mean and stdev (sample), computed exactly and then rounded, as Python does. */
        private static Value goStat(List<Double> values, String unit) {
            MathContext mc = new MathContext(60);
            BigDecimal sum = BigDecimal.ZERO;
            for (double v : values) {
                sum = sum.add(new BigDecimal(v));
            }
            BigDecimal mean = sum.divide(BigDecimal.valueOf(values.size()), mc);
            double sd = Double.NaN;
            if (values.size() > 1) {
                BigDecimal ss = BigDecimal.ZERO;
                for (double v : values) {
                    BigDecimal d = new BigDecimal(v).subtract(mean);
                    ss = ss.add(d.multiply(d));
                }
                sd = ss.divide(BigDecimal.valueOf(values.size() - 1), mc).sqrt(mc).doubleValue();
            }
            return new Value(mean.doubleValue(), sd, unit);
        }
    }
}
