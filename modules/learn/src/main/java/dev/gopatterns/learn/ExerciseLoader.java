package dev.gopatterns.learn;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;

/**
 * A child-first class loader for one build of the exercises: it loads {@code dev.gopatterns.exercises.*} (the
 * tests, their shared helpers, the code under test) from its own roots only, first root first, and every other
 * class (JUnit, the library, the testkit) from its parent, shared with whoever started the tests.
 *
 * <p>So one JVM can check many builds of the same classes side by side: the runner loads each exercise's fresh
 * build ({@code ./learn check}) and the build's flawed-solution test puts a fixture's root before the reference
 * solution's, so that the fixture's classes shadow the solution's and the exercise's tests link against them.
 */
public final class ExerciseLoader extends URLClassLoader {

    private static final String EXERCISES = ExerciseBuild.EXERCISES_PACKAGE;
    private static final String EXERCISES_PATH = EXERCISES.replace('.', '/');

    /**
     * @param name   the loader's name, shown in stack traces and thread dumps
     * @param roots  directories of classes, searched in order
     * @param parent where every class outside {@code dev.gopatterns.exercises} comes from
     */
    public ExerciseLoader(String name, List<Path> roots, ClassLoader parent) throws MalformedURLException {
        super(name, urls(roots), parent);
    }

    private static URL[] urls(List<Path> roots) throws MalformedURLException {
        URL[] urls = new URL[roots.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = roots.get(i).toAbsolutePath().toUri().toURL();
        }
        return urls;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith(EXERCISES)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                c = findClass(name);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    public URL getResource(String name) {
        return name.startsWith(EXERCISES_PATH) ? findResource(name) : super.getResource(name);
    }
}
