package dev.continuity.conformance;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes {@code target/conformance-report.md}: what was checked, what failed (and why it is listed), what is not served. */
final class Report {

    private Report() {
    }

    static Path write(Specs specs, Conformance run, Map<String, String[]> exclusions, Map<String, String> flows) {
        Path file = Path.of(System.getProperty("continuity.conformance.report", "target/conformance-report.md"));
        StringBuilder md = new StringBuilder();
        long served = run.served().values().stream().filter(b -> b).count();
        long failing = run.checks().values().stream().filter(c -> !c.failures.isEmpty()).count();
        md.append("# Emulator conformance report\n\n");
        md.append("Specification documents: `").append(specs.directory()).append("` (")
                .append(specs.preview().fileName()).append(", ").append(specs.v1().fileName()).append(", ")
                .append(specs.openai().fileName()).append(").\n\n");
        md.append("- Spec operations considered: ").append(run.served().size()).append("; served by the emulator: ")
                .append(served).append("; driven with valid requests: ").append(run.driven().size()).append("\n");
        md.append("- Checks: ").append(run.checks().size()).append("; failing: ").append(failing)
                .append(" (each must be listed in known-exclusions.txt)\n\n");
        md.append("## Flows\n\n");
        flows.forEach((name, outcome) -> md.append("- ").append(name).append(": ").append(outcome).append('\n'));
        md.append("\n## Operations served\n\n| operation | route | driven | checks | failing |\n|---|---|---|---|---|\n");
        List<String> notServed = new ArrayList<>();
        for (Target target : run.targets().values()) {
            if (!run.served().getOrDefault(target.id(), false)) {
                notServed.add("- `" + target.id() + "`: " + target.wire());
                continue;
            }
            int checks = 0;
            int failed = 0;
            for (Map.Entry<String, Conformance.Check> c : run.checks().entrySet()) {
                if (c.getKey().startsWith(target.id() + " ")) {
                    checks++;
                    failed += c.getValue().failures.isEmpty() ? 0 : 1;
                }
            }
            Integer driven = run.driven().get(target.id());
            md.append("| `").append(target.id()).append("` | ").append(target.wire()).append(" | ")
                    .append(driven == null ? "probed only" : driven + " calls").append(" | ").append(checks)
                    .append(" | ").append(failed).append(" |\n");
        }
        md.append("\n## Failing checks\n\n");
        for (Map.Entry<String, Conformance.Check> c : run.checks().entrySet()) {
            if (c.getValue().failures.isEmpty()) {
                continue;
            }
            String[] why = exclusions.get(c.getKey());
            md.append("- `").append(c.getKey()).append("`").append(why == null ? " **NOT LISTED**"
                    : " (listed: " + why[0] + "; " + why[1] + ")").append("\n  - ")
                    .append(String.join("\n  - ", c.getValue().failures)).append('\n');
        }
        md.append("\n## Every check\n\n");
        for (Map.Entry<String, Conformance.Check> c : run.checks().entrySet()) {
            md.append("- ").append(c.getValue().failures.isEmpty() ? "pass" : exclusions.containsKey(c.getKey())
                    ? "FAIL (listed)" : "FAIL").append(" `").append(c.getKey()).append("` (")
                    .append(c.getValue().exchanges).append(c.getValue().exchanges == 1 ? " exchange)\n" : " exchanges)\n");
        }
        md.append("\n## Spec operations the emulator does not serve (").append(notServed.size()).append(")\n\n");
        md.append(String.join("\n", notServed)).append('\n');
        EmulatorConformsToSpecsTest.write(file, md.toString());
        return file.toAbsolutePath();
    }
}
