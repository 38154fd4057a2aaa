package ai.bellm.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An evaluation task given on the command line as {@code NAME=FORMAT:PATH}, e.g. {@code stsb-dev=stsb:/data/sts-dev.csv}.
 *
 * <p>The name becomes part of metric keys, hence the restricted alphabet: letters, digits, {@code . _ -}, starting
 * with a letter or digit. The path is everything after the first {@code :} following the format, so it may itself
 * contain {@code :} or {@code =}.
 */
public record TaskSpec(String name, DataFormat format, Path path) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final String USAGE = "expected NAME=FORMAT:PATH with FORMAT one of ";

    public TaskSpec {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid task name '" + name
                    + "': use letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    public static TaskSpec parse(String spec) {
        int eq = spec.indexOf('=');
        int colon = eq < 0 ? -1 : spec.indexOf(':', eq + 1);
        if (eq < 0 || colon < 0) {
            throw bad(spec, USAGE + DataFormat.ids());
        }
        String name = spec.substring(0, eq).strip();
        String format = spec.substring(eq + 1, colon).strip();
        String path = spec.substring(colon + 1).strip();
        if (name.isEmpty() || format.isEmpty() || path.isEmpty()) {
            throw bad(spec, "empty " + (name.isEmpty() ? "NAME" : format.isEmpty() ? "FORMAT" : "PATH") + ", "
                    + USAGE + DataFormat.ids());
        }
        try {
            return new TaskSpec(name, DataFormat.fromId(format), Path.of(path));
        } catch (IllegalArgumentException e) {
            throw bad(spec, e.getMessage());
        }
    }

    /** Parses several specs; task names must be unique. */
    public static List<TaskSpec> parseAll(List<String> specs) {
        List<TaskSpec> tasks = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String spec : specs) {
            TaskSpec task = parse(spec);
            if (!names.add(task.name())) {
                throw bad(spec, "duplicate task name '" + task.name() + "'");
            }
            tasks.add(task);
        }
        return tasks;
    }

    public StsDataset load(BadLinePolicy policy) {
        return format.read(path, name, policy);
    }

    private static IllegalArgumentException bad(String spec, String problem) {
        return new IllegalArgumentException("bad task spec '" + spec + "': " + problem);
    }
}
