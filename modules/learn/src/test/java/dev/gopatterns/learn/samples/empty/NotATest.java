package dev.gopatterns.learn.samples.empty;

/** A package with classes but no tests, for TestRunnerTest. */
final class NotATest {

    private NotATest() {}
}
