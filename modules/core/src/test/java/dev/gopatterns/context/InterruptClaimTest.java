package dev.gopatterns.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopatterns.testkit.TestThreads;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class InterruptClaimTest {

    @Test
    @DisplayName("an interrupt for the work in hand lands once; leave clears it and reports it")
    void interruptsOnceAndLeaveClears() {
        InterruptClaim claim = new InterruptClaim();
        Object job = new Object();
        claim.enter(job);
        assertThat(claim.current()).isSameAs(job);
        assertThat(claim.interrupt(job)).isTrue();
        assertThat(claim.interrupt(job)).as("at most once per piece of work").isFalse();
        assertThat(claim.interrupted()).isTrue();
        assertThat(claim.current()).as("an interrupted job is no longer offered for interruption").isNull();
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
        assertThat(claim.leave(job)).isTrue();
        assertThat(Thread.currentThread().isInterrupted()).as("leave consumed the work's interrupt").isFalse();
    }

    @Test
    @DisplayName("an interrupt meant for one job never strikes the next job on the same thread")
    void neverStrikesTheNextWork() {
        InterruptClaim claim = new InterruptClaim();
        Object first = new Object();
        Object second = new Object();
        claim.enter(first);
        assertThat(claim.leave(first)).isFalse();
        claim.enter(second);
        assertThat(claim.interrupt(first)).as("first is over").isFalse();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(claim.interrupted()).isFalse();
        claim.leave(second);
        assertThat(claim.interrupt(second)).as("between pieces of work nothing is interrupted").isFalse();
    }

    @Test
    @DisplayName("another thread's interrupt wakes the owner's blocking call, and leave then finds the flag clear")
    void fromAnotherThread() throws Exception {
        InterruptClaim claim = new InterruptClaim();
        Object job = new Object();
        CountDownLatch entered = new CountDownLatch(1);
        try (TestThreads threads = TestThreads.virtual()) {
            Future<Boolean> owner = threads.submit("owner", () -> {
                claim.enter(job);
                entered.countDown();
                try {
                    new CountDownLatch(1).await();
                    return false;
                } catch (InterruptedException e) {
                    return claim.leave(job) && !Thread.currentThread().isInterrupted();
                }
            });
            entered.await();
            assertThat(claim.interrupt(job)).isTrue();
            assertThat(owner.get()).isTrue();
        }
    }

    @Test
    @DisplayName("misuse fails naming the rule")
    void misuse() {
        InterruptClaim claim = new InterruptClaim();
        claim.enter("a");
        assertThatThrownBy(() -> claim.enter("b")).hasMessage("InterruptClaim: enter while on other work (leave it first)");
        claim.leave("a");
        assertThatThrownBy(() -> claim.leave("a")).hasMessage("InterruptClaim: leave of work that was not entered");
    }
}
