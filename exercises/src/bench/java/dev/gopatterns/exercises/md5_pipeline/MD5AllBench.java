package dev.gopatterns.exercises.md5_pipeline;

import dev.gopatterns.context.Context;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code ./learn bench md5_pipeline}: your {@code MD5All.md5All} beside the reference's. Each invocation digests an
 * in-memory tree of {@value #FILES} files of {@value #SIZE} bytes each with the real MD5, through the pipeline's
 * walker, {@code digesters} digesters and collector; the score is nanoseconds per file.
 *
 * <p>What it shows: an MD5 of 4 KiB is a few microseconds of CPU, enough for the digesters to run side by side: on
 * two idle cores 2 digesters can cost less per file than 1, and 4 no less than 2 (there is no third core). A
 * pipeline that is much slower than the reference usually digests in the walker's thread (the digesters only pass
 * the results on), makes the collector wait for each digest before the walker sends the next path, or polls a
 * channel in a loop. The invocation checks that every file has its digest and that one of them is right, so a
 * pipeline that stops early or skips the work cannot look fast.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Thread)
public class MD5AllBench {

    static final int FILES = 256;
    static final int SIZE = 4096;

    @Param({"1", "2", "4"})
    public int digesters;

    private MD5All.Tree tree;
    private String firstPath;
    private String firstDigest;

    @Setup
    public void tree() throws Exception {
        Random random = new Random(42);
        Map<String, byte[]> files = new TreeMap<>();
        for (int i = 0; i < FILES; i++) {
            byte[] content = new byte[SIZE];
            random.nextBytes(content);
            files.put(String.format("dir%02d/file%03d", i % 16, i), content);
        }
        tree = MD5All.Tree.of(files);
        firstPath = tree.files().firstKey();
        firstDigest = MD5All.MD5.digest(Context.background(), firstPath, tree.read(firstPath));
    }

    @Benchmark
    @OperationsPerInvocation(FILES)
    public Map<String, String> md5All() throws Exception {
        Map<String, String> sums = MD5All.md5All(Context.background(), tree, digesters, MD5All.MD5);
        if (sums.size() != FILES) {
            throw new IllegalStateException("md5All returned " + sums.size() + " digests of " + FILES + " files");
        }
        if (!firstDigest.equals(sums.get(firstPath))) {
            throw new IllegalStateException("the digest of " + firstPath + " is " + sums.get(firstPath) + ", not "
                    + firstDigest);
        }
        return sums;
    }
}
