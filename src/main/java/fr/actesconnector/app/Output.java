package fr.actesconnector.app;

import java.io.PrintWriter;
import java.util.List;

import fr.actesconnector.model.Violation;

/** French rendering shared by the commands. */
final class Output {
    private Output() {
    }

    static void warnings(PrintWriter err, List<Violation> violations) {
        violations.stream().filter(v -> !v.isError()).forEach(v -> err.println(v));
    }

    static void warningTexts(PrintWriter err, List<String> warnings) {
        warnings.forEach(w -> err.println("Avertissement : " + w));
    }
}
