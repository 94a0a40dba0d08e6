package dev.gopatterns.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs a channel test once per capacity: unbuffered (0), the smallest buffers (1, 2) where off-by-one errors live,
 * a small buffer (16) and a large one (1024). The test method takes the capacity as an {@code int} parameter.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@ParameterizedTest(name = "capacity {0}")
@ValueSource(ints = {0, 1, 2, 16, 1024})
public @interface CapacitySweep {}
