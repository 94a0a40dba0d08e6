package dev.gopatterns.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How long {@link HangGuard} lets a test run before it fails it as hung. On a method or a class; the method's wins.
 * Without it the default is 10 seconds, or the system property {@code gopatterns.test.timeout} (seconds).
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface HangTimeout {
    /** The limit in seconds. */
    long seconds();
}
