package dev.gopatterns.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

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
 * The core's packages form one stack, bottom to top:
 *
 * <pre>
 *   clock  ->  chan  ->  context  ->  time, sync  ->  rate
 * </pre>
 *
 * A package may use the packages below it and never one above it or beside it, so there are no cycles and each
 * layer can be read, tested and replaced on its own. The machinery (hchan, waiters, cancel trees) stays
 * package-private: the public surface is the list below, and growing it is a decision, made here.
 */
class LayeringTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.gopatterns.clock", "dev.gopatterns.chan", "dev.gopatterns.context",
                    "dev.gopatterns.time", "dev.gopatterns.sync", "dev.gopatterns.rate");

    /** Every public top-level type of the core. */
    private static final Set<String> PUBLIC_API = Set.of(
            "dev.gopatterns.clock.Clock",
            "dev.gopatterns.clock.FakeClock",
            "dev.gopatterns.chan.Channel",
            "dev.gopatterns.chan.ChannelClosedException",
            "dev.gopatterns.chan.ReceiveChannel",
            "dev.gopatterns.chan.Received",
            "dev.gopatterns.chan.Select",
            "dev.gopatterns.chan.SelectCase",
            "dev.gopatterns.chan.Selectable",
            "dev.gopatterns.chan.SendChannel",
            "dev.gopatterns.chan.TryReceived",
            "dev.gopatterns.chan.UncheckedInterruptedException",
            "dev.gopatterns.context.CancellableContext",
            "dev.gopatterns.context.Context",
            "dev.gopatterns.context.ContextCanceledException",
            "dev.gopatterns.context.ContextException",
            "dev.gopatterns.context.DeadlineExceededException",
            "dev.gopatterns.context.InterruptClaim",
            "dev.gopatterns.context.InterruptScope",
            "dev.gopatterns.time.Ticker",
            "dev.gopatterns.time.TickerLoop",
            "dev.gopatterns.time.Timer",
            "dev.gopatterns.sync.ErrGroup",
            "dev.gopatterns.sync.Once",
            "dev.gopatterns.sync.OnceValue",
            "dev.gopatterns.sync.Semaphore",
            "dev.gopatterns.sync.SingleFlight",
            "dev.gopatterns.sync.WaitGroup",
            "dev.gopatterns.rate.DeadlineTooSoonException",
            "dev.gopatterns.rate.Limiter");

    @Test
    @DisplayName("the core's packages have no cycles")
    void noCycles() {
        slices().matching("dev.gopatterns.(*)..").should().beFreeOfCycles().check(CORE);
    }

    @Test
    @DisplayName("each package uses only the layers below it: clock, chan, context, then time and sync, then rate")
    void layers() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("clock").definedBy("dev.gopatterns.clock..")
                .layer("chan").definedBy("dev.gopatterns.chan..")
                .layer("context").definedBy("dev.gopatterns.context..")
                .layer("time").definedBy("dev.gopatterns.time..")
                .layer("sync").definedBy("dev.gopatterns.sync..")
                .layer("rate").definedBy("dev.gopatterns.rate..")
                .whereLayer("clock").mayNotAccessAnyLayer()
                .whereLayer("chan").mayOnlyAccessLayers("clock")
                .whereLayer("context").mayOnlyAccessLayers("clock", "chan")
                .whereLayer("time").mayOnlyAccessLayers("clock", "chan", "context") // TickerLoop runs until a context ends
                .whereLayer("sync").mayOnlyAccessLayers("clock", "chan", "context")
                .whereLayer("rate").mayOnlyAccessLayers("clock", "chan", "context", "time")
                .check(CORE);
    }

    @Test
    @DisplayName("machinery is package-private: the public types are exactly the documented API")
    void machineryIsNotPublic() {
        Set<String> publicTypes = CORE.stream()
                .filter(c -> c.isTopLevelClass() && c.getModifiers().contains(JavaModifier.PUBLIC))
                .map(JavaClass::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(publicTypes)
                .as("a new public type is an API decision: add it to PUBLIC_API with its javadoc;"
                        + " machinery (waiters, queues, cancel trees) stays package-private")
                .containsExactlyInAnyOrderElementsOf(PUBLIC_API);
    }
}
