package dev.continuity.emulator;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator standalone. {@link #run} starts it and prints one line per region
 * ({@code <region> <project-endpoint>}) and one line {@code admin <admin-endpoint>}; the caller keeps
 * the process alive. {@link #main} does the same from the command line and waits until killed.
 */
public final class EmulatorMain {

    private static final List<Emulator> STARTED = new ArrayList<>();

    private EmulatorMain() {
    }

    /**
     * Starts an emulator and prints its endpoints.
     *
     * @param regions   region names, in order
     * @param basePort  port of the first region; the next regions use basePort+1, ...; 0 = free ports
     * @param https     serve the regions over TLS with a self-signed certificate
     * @param adminPort the admin API's port (0 = free)
     * @param out       where the endpoint lines (or an {@code error:} line) are printed
     * @return 0 when started, 2 for bad arguments, 1 when a port cannot be bound
     */
    public static int run(String[] regions, int basePort, boolean https, int adminPort, PrintStream out) {
        if (regions == null || regions.length == 0) {
            out.println("error: name at least one region, e.g. eastus2 centralus");
            return 2;
        }
        if (basePort < 0 || basePort + regions.length - 1 > 65535) {
            out.println("error: invalid base port " + basePort);
            return 2;
        }
        Emulator emulator;
        try {
            EmulatorBuilder builder = Emulator.builder().https(https).adminPort(adminPort);
            for (int i = 0; i < regions.length; i++) {
                builder.region(regions[i], basePort == 0 ? 0 : basePort + i);
            }
            emulator = builder.start();
        } catch (IllegalArgumentException | IllegalStateException e) {
            out.println("error: " + e.getMessage());
            return 2;
        } catch (java.io.UncheckedIOException e) {
            out.println("error: " + e.getMessage());
            return 1;
        }
        synchronized (STARTED) {
            STARTED.add(emulator);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(emulator::close, "emulator-shutdown"));
        for (EmulatorRegion region : emulator.regions()) {
            out.println(region.name() + " " + region.projectEndpoint());
        }
        out.println("admin " + emulator.adminEndpoint());
        out.flush();
        return 0;
    }

    /** Closes every emulator started by {@link #run} in this JVM. */
    public static void stopAll() {
        synchronized (STARTED) {
            STARTED.forEach(Emulator::close);
            STARTED.clear();
        }
    }

    /**
     * Command line: {@code [--base-port N] [--admin-port N] [--https] region...} (default region
     * {@code eastus2}); runs until the process is killed.
     */
    public static void main(String[] args) throws InterruptedException {
        List<String> regions = new ArrayList<>();
        int basePort = 0;
        int adminPort = 0;
        boolean https = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--base-port" -> basePort = Integer.parseInt(args[++i]);
                    case "--admin-port" -> adminPort = Integer.parseInt(args[++i]);
                    case "--https" -> https = true;
                    default -> regions.add(args[i]);
                }
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            System.out.println("error: usage: [--base-port N] [--admin-port N] [--https] region...");
            System.exit(2);
        }
        if (regions.isEmpty()) {
            regions.add("eastus2");
        }
        int code = run(regions.toArray(String[]::new), basePort, https, adminPort, System.out);
        if (code != 0) {
            System.exit(code);
        }
        new CountDownLatch(1).await();
    }
}
