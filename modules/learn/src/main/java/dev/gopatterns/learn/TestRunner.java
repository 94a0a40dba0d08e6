package dev.gopatterns.learn;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;
import static org.junit.platform.engine.discovery.PackageNameFilter.includePackageNames;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs the tests of one package with the JUnit Platform Launcher, in this JVM, and reports each result as soon
 * as its test ends, so a learner watching a slow (or hung) test sees the ones before it.
 *
 * <p>The tests run with whatever the class path brings: in the exercises module that includes the testkit, whose
 * hang guard fails a hung test within seconds and whose leak check fails a test that leaves threads running.
 */
public final class TestRunner {

    private TestRunner() {}

    /**
     * Runs every test class in {@code packageName} and its subpackages.
     *
     * @param onResult told of each result, in the running thread, as the test ends
     * @return every result, in the order the tests ended; empty if the package holds no tests
     */
    public static List<TestResult> run(String packageName, Consumer<? super TestResult> onResult) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage(packageName))
                .build();
        Collector collector = new Collector(onResult);
        LauncherFactory.create().execute(request, collector);
        return collector.results;
    }

    /**
     * Runs every test class found under the class directory {@code classes} in {@code packageName} and its
     * subpackages, loaded by {@code loader} (which is also the tests' context class loader while they run).
     */
    public static List<TestResult> run(Path classes, String packageName, ClassLoader loader,
            Consumer<? super TestResult> onResult) {
        Thread me = Thread.currentThread();
        ClassLoader previous = me.getContextClassLoader();
        me.setContextClassLoader(loader);
        try {
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClasspathRoots(Set.of(classes)))
                    .filters(includePackageNames(packageName))
                    .build();
            Collector collector = new Collector(onResult);
            LauncherFactory.create().execute(request, collector);
            return collector.results;
        } finally {
            me.setContextClassLoader(previous);
        }
    }

    /** Turns the launcher's events into {@link TestResult}s. */
    private static final class Collector implements TestExecutionListener {

        private final Consumer<? super TestResult> onResult;
        private final List<TestResult> results = new ArrayList<>();
        private final Map<String, Long> started = new HashMap<>();
        private TestPlan plan;

        Collector(Consumer<? super TestResult> onResult) {
            this.onResult = onResult;
        }

        @Override
        public void testPlanExecutionStarted(TestPlan testPlan) {
            plan = testPlan;
        }

        @Override
        public void executionStarted(TestIdentifier id) {
            started.put(id.getUniqueId(), System.nanoTime());
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            if (id.isTest()) {
                report(id, TestResult.skipped(name(id)));
            }
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            switch (result.getStatus()) {
                case SUCCESSFUL -> {
                    if (id.isTest()) {
                        report(id, TestResult.passed(name(id)));
                    }
                }
                case ABORTED -> {
                    if (id.isTest()) {
                        report(id, TestResult.skipped(name(id)));
                    }
                }
                // A failed container (a test class that cannot even start) counts as one failed test, or its
                // tests would silently not run.
                case FAILED -> report(id, TestResult.failed(name(id), result.getThrowable().orElse(null)));
            }
        }

        private void report(TestIdentifier id, TestResult r) {
            Long start = started.remove(id.getUniqueId());
            TestResult timed = start == null ? r : r.took(Duration.ofNanos(System.nanoTime() - start));
            results.add(timed);
            onResult.accept(timed);
        }

        /** The display name; a case of a parameterized or repeated test is prefixed with its method's name. */
        private String name(TestIdentifier id) {
            Optional<TestIdentifier> parent = plan == null ? Optional.empty() : plan.getParent(id);
            if (id.isTest() && parent.isPresent() && parent.get().getSource().orElse(null) instanceof MethodSource) {
                return parent.get().getDisplayName() + " — " + id.getDisplayName();
            }
            return id.getDisplayName();
        }
    }
}
