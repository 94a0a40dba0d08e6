package dev.gopatterns.pool;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The pool's public surface. (Its place above the core needs no rule here: the core's module does not depend on
 * the pool's, so a core class cannot even name a pool type.)
 */
class PoolApiTest {

    private static final JavaClasses POOL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.gopatterns.pool");

    @Test
    @DisplayName("machinery is package-private: the public types are exactly the documented API")
    void publicApi() {
        Set<String> publicTypes = POOL.stream()
                .filter(c -> c.isTopLevelClass() && c.getModifiers().contains(JavaModifier.PUBLIC))
                .map(JavaClass::getSimpleName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(publicTypes).as("a new public type is an API decision, with its javadoc")
                .containsExactlyInAnyOrder("Autoscaler", "Distribution", "FailedJob", "Job", "JobGroup", "JobOptions", "PoolMetrics",
                        "PeriodicJob", "PoolMonitor", "RejectedException", "Result", "ScheduledJob", "Scheduler",
                        "Submission", "Task", "WorkerPool");
    }
}
