package dev.gopatterns.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in the docs, the README and the exercises' READMEs points at a file or folder that exists (and,
 * with a {@code #fragment}, at a heading that exists in the target page): a page that sends its reader to a class
 * that was renamed, or a section that was cut, fails the build instead of the reader.
 */
class DocsLinksTest {

    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    /** [text](target), skipping images' and external links' targets later. */
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");

    @Test
    @DisplayName("every relative link in the markdown pages resolves, fragments included")
    void relativeLinksResolve() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"));
             Stream<Path> exercises = Files.walk(ROOT.resolve("exercises/src"))) {
            Stream.concat(docs, exercises).filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
        }
        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            String text = stripCode(Files.readString(page));
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z][a-z0-9+.-]*:.*")) {
                    continue; // http:, https:, mailto:
                }
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                String fragment = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
                Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(ROOT.relativize(page) + ": " + target + " (no such file)");
                } else if (fragment != null && resolved.toString().endsWith(".md")
                        && !anchors(Files.readString(resolved)).contains(fragment)) {
                    broken.add(ROOT.relativize(page) + ": " + target + " (no such heading)");
                }
            }
        }
        assertThat(broken).as("links that lead nowhere (fix the link, or the page it points at)").isEmpty();
    }

    /** Drops fenced code blocks and inline code, where brackets are code, not links. */
    private static String stripCode(String md) {
        return md.replaceAll("(?s)```.*?```", "").replaceAll("`[^`\\n]*`", "");
    }

    /** GitHub's anchors for the page's headings: lower case, punctuation dropped, spaces to hyphens. */
    private static List<String> anchors(String md) {
        List<String> out = new ArrayList<>();
        for (String line : md.replaceAll("(?s)```.*?```", "").split("\n")) {
            if (line.startsWith("#")) {
                String title = line.replaceFirst("^#+\\s*", "").trim().toLowerCase();
                out.add(title.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return out;
    }
}
