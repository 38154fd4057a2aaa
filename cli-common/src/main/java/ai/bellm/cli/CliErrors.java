package ai.bellm.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failure into one clear line on stderr and exit code 1; the stack trace only with {@code BELLM_DEBUG=1}.
 * Bad input (missing file, corrupt weights, bad option values) surfaces as IllegalArgumentException or
 * UncheckedIOException with a message that names the problem.
 */
public final class CliErrors implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
        cmd.getErr().println(cmd.getColorScheme().errorText("bellm " + cmd.getCommandName() + ": " + describe(e)));
        if ("1".equals(System.getenv("BELLM_DEBUG"))) {
            e.printStackTrace(cmd.getErr());
        }
        return 1;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
