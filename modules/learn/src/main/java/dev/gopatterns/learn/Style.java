package dev.gopatterns.learn;

/**
 * How the runner marks up its output: ANSI colours for a terminal, nothing for a pipe or a test. ./learn asks for
 * colour ({@code LEARN_COLOR=1}) when its output is a terminal and {@code NO_COLOR} is not set.
 *
 * @param color whether to emit ANSI colour codes
 */
record Style(boolean color) {

    static final String PASS = "✓";
    static final String FAIL = "✗";
    static final String TODO = "·";

    static Style plain() {
        return new Style(false);
    }

    static Style fromEnvironment() {
        return new Style("1".equals(System.getenv("LEARN_COLOR")) && System.getenv("NO_COLOR") == null);
    }

    String good(String s) {
        return paint("32", s);
    }

    String bad(String s) {
        return paint("31", s);
    }

    String quiet(String s) {
        return paint("2", s);
    }

    String strong(String s) {
        return paint("1", s);
    }

    /** The mark for a status: ✓ done, ✗ failing, · not started, coloured. */
    String mark(Status status) {
        return switch (status) {
            case DONE -> good(PASS);
            case FAILING -> bad(FAIL);
            case NOT_STARTED -> quiet(TODO);
        };
    }

    private String paint(String code, String s) {
        return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
