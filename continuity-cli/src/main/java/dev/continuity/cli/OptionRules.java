package dev.continuity.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * The one check of every command's option values, run after parsing and before the command does any work:
 * a numeric option declares its range with {@link Range}, a word option its accepted values with
 * {@link OneOf}; a value outside is a usage error naming the option (exit code 2, nothing done).
 * {@code OptionRulesTest} fails when a numeric option declares no range.
 */
final class OptionRules {

    private OptionRules() {
    }

    /** The accepted range of a numeric option (both bounds included). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    @interface Range {
        /** The smallest accepted value. */
        long min();

        /** The largest accepted value. */
        long max() default Long.MAX_VALUE;

        /** The unit shown in the error ("ms", "s"), if any. */
        String unit() default "";
    }

    /** The accepted values of a word option (compared ignoring case). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    @interface OneOf {
        /** The accepted values. */
        String[] value();
    }

    /** Checks the options of the command that will run (the last one parsed). */
    static void check(ParseResult parsed) {
        ParseResult last = parsed;
        while (last.hasSubcommand()) {
            last = last.subcommand();
        }
        check(last.commandSpec());
    }

    /** Checks every option and positional parameter of {@code spec} with a declared rule. */
    static void check(CommandSpec spec) {
        for (ArgSpec arg : spec.args()) {
            if (!(arg.userObject() instanceof Field field)) {
                continue;
            }
            Object value = arg.getValue();
            if (value == null) {
                continue;
            }
            String name = arg.isOption() ? ((CommandLine.Model.OptionSpec) arg).longestName() : arg.paramLabel();
            Range range = field.getAnnotation(Range.class);
            if (range != null && value instanceof Number number) {
                boolean integral = !(value instanceof Double || value instanceof Float);
                double v = number.doubleValue();
                if (Double.isNaN(v) || v < range.min() || v > range.max() || (integral && (number.longValue() < range.min()
                        || number.longValue() > range.max()))) {
                    String unit = range.unit().isEmpty() ? "" : " " + range.unit();
                    String bounds = range.max() == Long.MAX_VALUE ? "at least " + range.min() + unit
                            : "between " + range.min() + " and " + range.max() + unit;
                    throw new CommandLine.ParameterException(spec.commandLine(), name + " must be " + bounds
                            + ", got " + (integral ? String.valueOf(number.longValue()) : String.valueOf(v)));
                }
            }
            OneOf oneOf = field.getAnnotation(OneOf.class);
            if (oneOf != null && value instanceof String text) {
                List<String> accepted = List.of(oneOf.value());
                if (!accepted.contains(text.trim().toLowerCase(Locale.ROOT))) {
                    throw new CommandLine.ParameterException(spec.commandLine(), name + " must be "
                            + String.join(", ", accepted.subList(0, accepted.size() - 1)) + " or "
                            + accepted.get(accepted.size() - 1) + ", got '" + text + "'");
                }
            }
        }
    }
}
