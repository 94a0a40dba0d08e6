package dev.gopatterns.exercises.md5_pipeline;

import dev.gopatterns.context.Context;
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

/**
 * Exercise `md5_pipeline`: the MD5 of every file of a tree, in a bounded pipeline, as in the Go blog's "Pipelines and
 * cancellation" ({@code bounded.go}): a walker sends the paths, {@code digesters} digesters read and digest them and
 * send the results, and the caller collects the results into a map.
 *
 * <p>The rules of {@link #md5All}:
 * <ol>
 *   <li>Fewer than 1 digester is refused at once: {@code IllegalArgumentException("digesters must be >= 1, was 0")}.
 *   <li>Stage 1, one thread, walks the tree ({@link Tree#walk}) and sends each path on a paths channel; it closes the
 *       paths channel when the walk ends, and reports the walk's error, if any.
 *   <li>Stage 2 is exactly {@code digesters} threads, each ranging over the paths channel: it reads the file
 *       ({@link Tree#read}), calls {@code digest} and sends the result ({@code path}, md5 or error) on a results
 *       channel. So at most {@code digesters} digests run at once, and with enough files that many do.
 *   <li>The results channel is closed once, after the last digester has ended.
 *   <li>Stage 3, the caller, collects the results into a map from path to md5. The first digest error, the walk's
 *       error, or the end of the caller's context, whichever comes first, is what {@code md5All} throws; it cancels
 *       everything else.
 *   <li>Every send has a {@code ctx.done()} case, and {@code md5All} returns (or throws) only once every thread
 *       it started has ended: it leaves nothing running.
 * </ol>
 *
 * <p>Go equivalent: see README.md in this directory. How to run: {@code ./learn check md5_pipeline}
 */
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
    public static Map<String, String> md5All(Context ctx, Tree tree, int digesters, Digest digest) throws Exception {
        throw new UnsupportedOperationException("TODO: a child context; a walker thread (paths"
                + " channel + an error channel of 1); `digesters` digesters with a WaitGroup, each sending a result"
                + " (path, md5 or error) with a ctx.done() case; a closer for the results; collect into a map;"
                + " on the way out cancel and wait for every thread");
    }
}
