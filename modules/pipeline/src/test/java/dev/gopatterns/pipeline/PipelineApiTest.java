package dev.gopatterns.pipeline;

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

/** The pipeline module's public surface: Go's channel vocabulary, one small final type per idea. */
class PipelineApiTest {

    private static final JavaClasses PIPELINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.gopatterns.pipeline");

    @Test
    @DisplayName("machinery is package-private: the public types are exactly the documented API")
    void publicApi() {
        Set<String> publicTypes = PIPELINE.stream()
                .filter(c -> c.isTopLevelClass() && c.getModifiers().contains(JavaModifier.PUBLIC))
                .map(JavaClass::getSimpleName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(publicTypes).as("a new public type is an API decision, with its javadoc")
                .containsExactlyInAnyOrder("Bridge", "ErrorPolicy", "Failure", "FanIn", "FanOut", "Heartbeat", "OrDone",
                        "Pipeline", "PipelineException", "Replicated", "Run", "Sequenced", "Sources",
                        "Stateful", "Summary", "Tee", "Topic");
    }

    @Test
    @DisplayName("every public type is final (or a record): no extension points by accident")
    void publicTypesAreFinal() {
        PIPELINE.stream()
                .filter(c -> c.isTopLevelClass() && c.getModifiers().contains(JavaModifier.PUBLIC))
                .forEach(c -> assertThat(c.getModifiers()).as(c.getSimpleName()).contains(JavaModifier.FINAL));
    }
}
