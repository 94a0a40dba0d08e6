/*
 * Flawed solution of exercise `md5_pipeline`.
 * Mistake: the walker catches the walk's exception and only stops: md5All returns the digests of the files walked before the error, as if the tree had no more.
 * Verdict: the walk's error was swallowed
 */
package dev.gopatterns.exercises.md5_pipeline;

import dev.gopatterns.chan.Channel;
import dev.gopatterns.chan.ReceiveChannel;
import dev.gopatterns.chan.Received;
import dev.gopatterns.chan.Select;
import dev.gopatterns.chan.UncheckedInterruptedException;
import dev.gopatterns.context.CancellableContext;
import dev.gopatterns.context.Context;
import dev.gopatterns.sync.WaitGroup;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

public final class MD5All {

    private MD5All() {}

    /** What {@link Tree#walk} throws when it reaches a directory it cannot read. */
    public static final class WalkException extends Exception {
        private static final long serialVersionUID = 1L;

        public WalkException(String message) {
            super(message);
        }
    }

    /** Called by {@link Tree#walk} with each file's path; what it throws stops the walk. */
    @FunctionalInterface
    public interface Visitor {
        void visit(String path) throws Exception;
    }

    /** Digests one file. Called with the pipeline's context, which a slow digest should give up on when it ends. */
    @FunctionalInterface
    public interface Digest {
        String digest(Context ctx, String path, byte[] content) throws Exception;
    }

    /** The real thing: the MD5 of the content, in lower-case hex. */
    public static final Digest MD5 = (ctx, path, content) ->
            HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));

    /**
     * An in-memory file tree: files by path, and directories that cannot be listed. No file system is touched.
     *
     * @param files      the files' contents, by path
     * @param unreadable the paths of directories the walk fails at
     */
    public record Tree(SortedMap<String, byte[]> files, SortedSet<String> unreadable) {

        public Tree {
            files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
            unreadable = Collections.unmodifiableSortedSet(new TreeSet<>(unreadable));
        }

        /** A tree of these files, every directory readable. */
        public static Tree of(Map<String, byte[]> files) {
            return new Tree(new TreeMap<>(files), new TreeSet<>());
        }

        /** This tree, with a directory at {@code dir} that the walk cannot read. */
        public Tree withUnreadable(String dir) {
            TreeSet<String> more = new TreeSet<>(unreadable);
            more.add(dir);
            return new Tree(files, more);
        }

        /**
         * Calls {@code visit} with each file's path, in path order, in the calling thread. Go: {@code
         * filepath.WalkDir}. An unreadable directory ends the walk, when it is reached in path order, with a
         * {@link WalkException} ("c: permission denied"); so does anything {@code visit} throws, rethrown as it is.
         */
        public void walk(Visitor visit) throws Exception {
            TreeSet<String> all = new TreeSet<>(files.keySet());
            all.addAll(unreadable);
            for (String path : all) {
                if (unreadable.contains(path)) {
                    throw new WalkException("open " + path + ": permission denied");
                }
                visit.visit(path);
            }
        }

        /** The content of the file at {@code path}. Go: {@code os.ReadFile}. */
        public byte[] read(String path) {
            byte[] content = files.get(Objects.requireNonNull(path, "path"));
            if (content == null) {
                throw new NoSuchElementException("open " + path + ": no such file");
            }
            return content.clone();
        }
    }

    /**
     * The digest of every file of {@code tree}, by path, computed by {@code digesters} digesters.
     *
     * @throws IllegalArgumentException if {@code digesters < 1}
     * @throws WalkException            if the walk failed
     * @throws Exception                the first digest's error; or the caller's context's error if it ended first
     */
    public static Map<String, String> md5All(Context parent, Tree tree, int digesters, Digest digest)
            throws Exception {
        if (digesters < 1) {
            throw new IllegalArgumentException("digesters must be >= 1, was " + digesters);
        }
        try (CancellableContext ctx = Context.withCancel(parent)) {
            Channel<String> paths = Channel.make(0);
            Channel<Exception> walkError = Channel.make(1); // room for the one error: the walker never blocks on it
            WaitGroup wg = new WaitGroup();
            wg.go(() -> walk(ctx, tree, paths, walkError));

            Channel<Result> results = Channel.make(0);
            WaitGroup digesting = new WaitGroup();
            for (int d = 0; d < digesters; d++) {
                digesting.go(() -> digester(ctx, tree, digest, paths, results));
            }
            wg.go(() -> {
                try {
                    digesting.await(); // the last digester has ended: nobody can send a result any more...
                    results.close(); // ...so the collector's range may end
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            try {
                Map<String, String> sums = new TreeMap<>();
                for (Result r : results) {
                    switch (r) {
                        case Result.Digested(String path, String md5) -> sums.put(path, md5);
                        case Result.Failed(String path, Exception error) -> throw error; // the first error wins
                    }
                }
                if (walkError.receiveOrClosed() instanceof Received.Value<Exception>(Exception e)) {
                    throw e;
                }
                ctx.throwIfDone(); // the caller's context ended: the digesters stopped early, the map is not whole
                return sums;
            } finally {
                ctx.cancel(); // stops whatever is still running: the walker and the digesters return...
                digesting.await(); // ...and md5All returns only once they have
                wg.await();
            }
        }
    }

    /** One result of stage 2: a file's digest, or why there is none. Go: {@code result{path, sum, err}}. */
    private sealed interface Result {
        record Digested(String path, String md5) implements Result {}

        record Failed(String path, Exception error) implements Result {}
    }

    /** Stage 1: sends every path of {@code tree}, then closes {@code paths}; reports the walk's error, if any. */
    private static void walk(Context ctx, Tree tree, Channel<String> paths, Channel<Exception> walkError) {
        try {
            tree.walk(path -> {
                if (!Select.select(paths.onSend(path, () -> true), ctx.onDone(() -> false))) {
                    throw ctx.err().orElseThrow(); // Go: return errors.New("walk canceled")
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the walk stopped; the digesters finish what was sent
        } finally {
            paths.close(); // the digesters' range ends
            walkError.close();
        }
    }

    /** Stage 2: digests every path it takes, and sends each result unless the context ends first. */
    private static void digester(Context ctx, Tree tree, Digest digest, ReceiveChannel<String> paths,
                                 Channel<Result> results) {
        try {
            for (String path : paths) {
                Result r;
                try {
                    r = new Result.Digested(path, digest.digest(ctx, path, tree.read(path)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    r = new Result.Failed(path, e);
                }
                if (!Select.select(results.onSend(r, () -> true), ctx.onDone(() -> false))) {
                    return; // the collector has stopped: do not wait for it forever
                }
            }
        } catch (InterruptedException | UncheckedInterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
