package fr.actesconnector.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

class BenchCommandTest {
    private static BenchP4.Sizes sizes(String... args) {
        BenchCommand bench = new BenchCommand();
        new CommandLine(bench).parseArgs(args);
        return bench.p4Sizes();
    }

    @Test
    void p4IsFullSizedUnlessQuickAndEachSizeOptionReplacesItsOwnOnly() {
        assertEquals(new BenchP4.Sizes(50, 200, 500_000), sizes());
        assertEquals(new BenchP4.Sizes(10, 20, 50_000), sizes("--quick"));
        assertEquals(new BenchP4.Sizes(4, 200, 500_000), sizes("--p4-collectivites", "4"));
        assertEquals(new BenchP4.Sizes(50, 25, 500_000), sizes("--p4-actes", "25"));
        assertEquals(new BenchP4.Sizes(10, 20, 10_000), sizes("--quick", "--p4-journal", "10000"));
        assertEquals(new BenchP4.Sizes(1, 1, 1_000), sizes("--p4-collectivites", "1", "--p4-actes", "1", "--p4-journal", "1000"));
    }

    @Test
    void aSizeTooSmallIsRefusedInFrenchBeforeAnythingRuns() {
        for (String[] args : new String[][] {{"--p4-collectivites", "0"}, {"--p4-actes", "0"}, {"--p4-journal", "999"}}) {
            String[] full = new String[args.length + 4];
            System.arraycopy(new String[] {"bench", "--only", "P4"}, 0, full, 0, 3);
            System.arraycopy(args, 0, full, 3, args.length);
            full[full.length - 1] = "--quick";
            MainTest.Result r = MainTest.run(full);
            assertEquals(ExitCodes.INVALID_INPUT, r.exit(), String.join(" ", args));
            assertTrue(r.err().contains("--p4-collectivites et --p4-actes valent au moins 1, --p4-journal au moins 1000."),
                    r.err());
            assertEquals("", r.out(), "nothing measured: " + r.out());
        }
    }
}
