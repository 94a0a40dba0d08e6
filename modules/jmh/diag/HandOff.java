// The harness of handoff-diagnostics.sh: compiled against a scratch copy of the core with counters patched in.
import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.WaitSource;

/** 1 -> 1 over an unbuffered channel on two virtual threads; prints ns per transfer and the diagnostic counters. */
public class HandOff {
    public static void main(String[] a) throws Exception {
        int n = Integer.parseInt(a[0]);
        for (int round = 0; round < 6; round++) {
            Channel<Integer> ch = Channel.unbuffered();
            WaitSource.PARKS.reset();
            WaitSource.CONTENDED.reset();
            WaitSource.QUEUED.reset();
            long t0 = System.nanoTime();
            Thread p = Thread.ofVirtual().start(() -> {
                try { for (int i = 0; i < n; i++) ch.send(i); } catch (InterruptedException e) { throw new RuntimeException(e); }
            });
            Thread c = Thread.ofVirtual().start(() -> {
                try { for (int i = 0; i < n; i++) if (ch.receive() != i) throw new AssertionError(); } catch (InterruptedException e) { throw new RuntimeException(e); }
            });
            p.join();
            c.join();
            long t = System.nanoTime() - t0;
            if (round >= 2) {
                System.out.printf("round %d: %.1f ns/transfer, per transfer: parks %.3f, lock taken at first try %.3f,"
                                + " lock acquisitions that queued %.3f%n", round, t / (double) n,
                        WaitSource.PARKS.sum() / (double) n, WaitSource.CONTENDED.sum() / (double) n,
                        WaitSource.QUEUED.sum() / (double) n);
            }
        }
    }
}
