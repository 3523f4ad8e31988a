package dev.continuity.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root {@code continuity} command. */
@Command(name = "continuity",
        mixinStandardHelpOptions = true,
        version = "continuity 0.1.0-SNAPSHOT",
        description = "Cross-region continuity for Foundry Agent Service apps: journal every turn, "
                + "rehydrate a standby region, fail over and back.",
        subcommands = {
            EmulatorCommand.class,
            ValidateCommand.class,
            DeployCommand.class,
            RehydrateCommand.class,
            DriftCommand.class,
            DrillCommand.class,
            ChatCommand.class,
            ExportCommand.class,
            ImportCommand.class,
            CompareCommand.class,
            KeysCommand.class,
            PruneCommand.class,
            ForgetCommand.class,
            BenchCommand.class,
        })
final class ContinuityCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
