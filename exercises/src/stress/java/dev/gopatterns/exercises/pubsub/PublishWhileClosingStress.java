package dev.gopatterns.exercises.pubsub;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.gopatterns.chan.ChannelClosedException;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.TryReceived;
import dev.gopatterns.context.Context;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * {@code ./learn stress pubsub}: one publish and the broker's {@code close} at the same moment, with three
 * subscribers (a buffer of one each), on real cores, millions of times over. The unit tests race a publish against
 * an unsubscribe with a test hook holding the publish open; here nothing holds it, and the race must show up by
 * itself.
 *
 * <p>r1 is what the publish did: 0 it returned, 1 it threw "send on closed channel" (Go: a panic), 2 it threw
 * something else (a {@code ConcurrentModificationException} from a map that close changed under it). r2 is how
 * many subscribers found the message, r3 how many channels were closed after that. A correct broker, one lock
 * taken by publish while it delivers and by close before it closes a channel, gives {@code 0, 3, 3} (the publish
 * came first: every subscriber has the message, then its channel was closed) or {@code 0, 0, 3} (close came first,
 * and a publish after close does nothing). A broker whose publish goes through the subscribers with no lock shared
 * with close (a {@code ConcurrentHashMap} alone, or a plain {@code HashMap}) can reach a subscriber whose channel
 * close has just closed, and send on it: {@code 1, n, 3}. It can also deliver to some subscribers and not the
 * others ({@code 0, 1, 3}, {@code 0, 2, 3}) without throwing; the rules do not forbid that, but the reference's lock
 * never does it, so jcstress shows it as interesting.
 *
 * <p>How to run: {@code ./learn stress pubsub} (on your code), {@code --solution} (on the reference).
 */
@JCStressTest
@Description("a publish racing the broker's close never sends on a closed channel")
@Outcome(id = "0, 3, 3", expect = ACCEPTABLE, desc = "the publish came first: its message everywhere, then the close")
@Outcome(id = "0, 0, 3", expect = ACCEPTABLE, desc = "the close came first: a publish after close does nothing")
@Outcome(id = {"0, 1, 3", "0, 2, 3"}, expect = ACCEPTABLE_INTERESTING,
        desc = "the publish and the close went through the subscribers side by side; no send on a closed channel")
@Outcome(id = {"1, 0, 3", "1, 1, 3", "1, 2, 3"}, expect = FORBIDDEN,
        desc = "publish sent on a channel close had closed: close must take the lock publish holds")
@Outcome(id = {"2, 0, 3", "2, 1, 3", "2, 2, 3", "2, 3, 3"}, expect = FORBIDDEN,
        desc = "publish failed while close changed the subscribers: they need one lock")
@Outcome(expect = FORBIDDEN, desc = "a subscriber's channel was not closed, or got the message twice: the broker broke")
@State
public class PublishWhileClosingStress {

    private final Broker<String> broker = new Broker<>(1);
    private final List<ReceiveChannel<String>> subscribers = List.of(broker.subscribe(Context.background()),
            broker.subscribe(Context.background()), broker.subscribe(Context.background()));

    @Actor
    public void publish(III_Result r) {
        try {
            broker.publish("m");
            r.r1 = 0;
        } catch (ChannelClosedException e) {
            r.r1 = 1;
        } catch (RuntimeException e) {
            r.r1 = 2;
        }
    }

    @Actor
    public void close() {
        broker.close();
    }

    @Arbiter
    public void drain(III_Result r) {
        int messages = 0;
        int closed = 0;
        for (ReceiveChannel<String> subscriber : subscribers) {
            TryReceived<String> next = subscriber.tryReceive();
            if (next instanceof Received.Value<String>) {
                messages++;
                next = subscriber.tryReceive();
            }
            if (next instanceof Received.Closed<String>) {
                closed++;
            }
        }
        r.r2 = messages;
        r.r3 = closed;
    }
}
