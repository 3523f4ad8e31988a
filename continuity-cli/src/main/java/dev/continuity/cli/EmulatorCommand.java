package dev.continuity.cli;

import dev.continuity.emulator.EmulatorMain;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code continuity emulator}: serves emulated Agent Service regions until interrupted. */
@Command(name = "emulator",
        mixinStandardHelpOptions = true,
        description = {"Serve a local, wire-compatible Foundry Agent Service with one project per region.",
            "Prints one line per region: <region> <project-endpoint>, then 'admin <admin-endpoint>'."})
final class EmulatorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--regions", split = ",", defaultValue = "eastus2,centralus",
            description = "Comma-separated region names (default: ${DEFAULT-VALUE}).")
    List<String> regions;

    @Option(names = "--base-port", defaultValue = "8700",
            description = "Port of the first region; the next regions use the following ports; 0 = free ports "
                    + "(default: ${DEFAULT-VALUE}).")
    @OptionRules.Range(min = 0, max = 65_535)
    int basePort;

    @Option(names = "--admin-port", defaultValue = "0",
            description = "Port of the admin API for fault injection (default: a free port).")
    @OptionRules.Range(min = 0, max = 65_535)
    int adminPort;

    @Option(names = "--https", description = "Serve TLS with a certificate generated at start.")
    boolean https;

    @Override
    public Integer call() throws Exception {
        int code = EmulatorMain.run(regions.toArray(new String[0]), basePort, https, adminPort,
                new java.io.PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true));
        if (code != 0) {
            return code;
        }
        new CountDownLatch(1).await(); // serve until the process is interrupted
        return ExitCodes.OK;
    }
}
