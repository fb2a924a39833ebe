package dev.eveflink.model.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * {@code java -jar model/target/eve-cli.jar <command> ...}: EVE from the command line. One JSON
 * object per line on stdout, logs on stderr; exit 0 on success, 1 on a runtime error (one line on
 * stderr), 2 on bad usage (with usage text).
 *
 * <p>DJL is started offline with our defaults unless the caller set them: no telemetry, one
 * intra-op thread, and the engine cache in {@code ENGINE_CACHE_DIR} (default: {@code djl-cache}
 * next to the jar, never the home directory).
 */
public final class EveCli {
    static final List<CliCommand> COMMANDS = List.of(
            new LogitsCommand(),
            new GenerateCommand(),
            new ScoreCommand(),
            new PreprocessCommand(),
            new TokenizeCommand(),
            new DetokenizeCommand(),
            new BatchCommand());

    private EveCli() {}

    public static void main(String[] args) {
        DjlDefaults.apply();
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
            err.println(usage());
            return args.length == 0 ? 2 : 0;
        }
        CliCommand command = COMMANDS.stream().filter(c -> c.name().equals(args[0])).findFirst().orElse(null);
        if (command == null) {
            err.println("error: unknown command '" + args[0] + "'");
            err.println(usage());
            return 2;
        }
        try {
            command.run(CliArgs.parse(args, 1, command.options()), out, err);
            out.flush();
            return 0;
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println("usage: eve-cli " + command.usage());
            return 2;
        } catch (CliFailure e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (Exception | LinkageError e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            err.println("error: " + message.replace('\n', ' '));
            return 1;
        }
    }

    static String usage() {
        StringBuilder sb = new StringBuilder("usage: java -jar eve-cli.jar <command> [options]\ncommands:\n");
        for (CliCommand c : COMMANDS) {
            sb.append("  ").append(c.usage()).append('\n');
        }
        return sb.toString().stripTrailing();
    }
}
