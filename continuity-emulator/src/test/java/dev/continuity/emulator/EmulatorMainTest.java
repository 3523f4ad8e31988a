package dev.continuity.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The standalone entry point's output lines and errors. */
class EmulatorMainTest {

    @AfterEach
    void stop() {
        EmulatorMain.stopAll();
    }

    @Test
    void printsOneLinePerRegionThenTheAdminLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = EmulatorMain.run(new String[] {"eastus2", "centralus"}, 0, false, 0,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(code).isZero();
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).matches("eastus2 http://127\\.0\\.0\\.1:\\d+/api/projects/eastus2");
        assertThat(lines[1]).matches("centralus http://127\\.0\\.0\\.1:\\d+/api/projects/centralus");
        assertThat(lines[2]).matches("admin http://127\\.0\\.0\\.1:\\d+");

        Http east = new Http(lines[0].split(" ")[1]);
        assertThat(east.post("/openai/conversations", "{}").status()).isEqualTo(200);
        assertThat(new Http(lines[2].split(" ")[1]).get("/admin/regions").json().get("data")).hasSize(2);
    }

    @Test
    void basePortNumbersRegionsConsecutively() throws Exception {
        int base;
        try (ServerSocket probe = new ServerSocket(0)) {
            base = probe.getLocalPort();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = EmulatorMain.run(new String[] {"r1", "r2"}, base, true, 0, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        // a neighbouring port may be taken by another process on a shared machine: accept that failure mode too
        String out = bytes.toString(StandardCharsets.UTF_8);
        if (code == 0) {
            assertThat(out).contains("r1 https://127.0.0.1:" + base + "/api/projects/r1\n",
                    "r2 https://127.0.0.1:" + (base + 1) + "/api/projects/r2\n");
        } else {
            assertThat(code).isEqualTo(1);
            assertThat(out).startsWith("error: Region r2 cannot listen on 127.0.0.1:" + (base + 1));
        }
    }

    @Test
    void aTakenPortIsAClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int code = EmulatorMain.run(new String[] {"eastus2"}, taken.getLocalPort(), false, 0,
                    new PrintStream(bytes, true, StandardCharsets.UTF_8));
            assertThat(code).isEqualTo(1);
            assertThat(bytes.toString(StandardCharsets.UTF_8))
                    .startsWith("error: Region eastus2 cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void badArgumentsAreErrors() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertThat(EmulatorMain.run(new String[0], 0, false, 0, out)).isEqualTo(2);
        assertThat(EmulatorMain.run(new String[] {"a", "a"}, 0, false, 0, out)).isEqualTo(2);
        assertThat(EmulatorMain.run(new String[] {"bad name"}, 0, false, 0, out)).isEqualTo(2);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("error: name at least one region",
                "error: Region a is declared twice", "error: Invalid region name 'bad name'");
    }
}
