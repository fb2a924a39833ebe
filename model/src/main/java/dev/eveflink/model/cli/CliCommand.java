package dev.eveflink.model.cli;

import java.io.PrintStream;
import java.util.Set;

/** One subcommand of {@code eve-cli}: prints one JSON object per line on {@code out}. */
interface CliCommand {

    String name();

    /** The usage line, e.g. {@code logits --model DIR ...}. */
    String usage();

    Set<String> options();

    void run(CliArgs args, PrintStream out) throws Exception;

    /** Runs with a diagnostics stream (progress, summaries); by default diagnostics are not written. */
    default void run(CliArgs args, PrintStream out, PrintStream err) throws Exception {
        run(args, out);
    }
}
