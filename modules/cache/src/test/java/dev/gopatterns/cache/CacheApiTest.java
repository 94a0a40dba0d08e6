package dev.gopatterns.cache;

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

/** The cache module's public surface. */
class CacheApiTest {

    private static final JavaClasses CACHE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.gopatterns.cache");

    @Test
    @DisplayName("machinery is package-private: the public types are exactly the documented API")
    void publicApi() {
        Set<String> publicTypes = CACHE.stream()
                .filter(c -> c.getModifiers().contains(JavaModifier.PUBLIC))
                .map(JavaClass::getName)
                .map(n -> n.substring("dev.gopatterns.cache.".length()))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(publicTypes).as("a new public type is an API decision, with its javadoc")
                .containsExactlyInAnyOrder("Cache", "Cache$Builder", "Cache$Loader", "Cache$Metrics");
    }
}
