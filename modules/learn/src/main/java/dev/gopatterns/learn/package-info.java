/**
 * The runner behind {@code ./learn}: the learning track's list, check, hint and show commands.
 *
 * <p>How a check works. {@code ./learn check 2} asks Maven to compile the exercises module and its tests, then to
 * start {@link dev.gopatterns.learn.Main} on JDK 25 with that module's test class path. {@link
 * dev.gopatterns.learn.Track} finds the exercises on disk (package directories {@code exNN_name} with a README),
 * {@link dev.gopatterns.learn.TestRunner} runs one exercise's package through the JUnit Platform Launcher in the same
 * JVM, and {@code Learn} prints a line per test as it ends: ✓, or ✗ with {@code FailureText}'s few lines (the
 * assertion message, which names the broken rule, or the learner's exception and the line it came from).
 * {@link dev.gopatterns.learn.Status} judges the exercise: done, failing, or not started when every test stopped at
 * the stub's {@code UnsupportedOperationException("TODO: ...")}.
 *
 * <p>Nothing here knows the exercises: adding one is adding its package directory, tests and solution.
 */
package dev.gopatterns.learn;
