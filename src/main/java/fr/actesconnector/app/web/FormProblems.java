package fr.actesconnector.app.web;

import static fr.actesconnector.app.web.Html.esc;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A form of the acte's page sent back with its problems: which form, the French title of the error
 * summary, each message with the control it concerns (when one does), and what was typed, shown again.
 */
record FormProblems(String form, String title, List<Problem> problems, Map<String, String> values) {
    static final FormProblems NONE = new FormProblems("", "", List.of(), Map.of());

    /** One French message and the id of the control it concerns, if any. */
    record Problem(String message, Optional<String> control) {
        Problem {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(control, "control");
        }

        /** A message about {@code control}, or about the whole form when {@code control} is empty. */
        static Problem of(String message, String control) {
            return new Problem(message, control.isEmpty() ? Optional.empty() : Optional.of(control));
        }
    }

    FormProblems {
        Objects.requireNonNull(form, "form");
        Objects.requireNonNull(title, "title");
        problems = List.copyOf(problems);
        values = Map.copyOf(values);
    }

    boolean any() {
        return !problems.isEmpty();
    }

    /** What was typed in {@code field} of {@code formId} when that form comes back, else {@code fallback}. */
    String value(String formId, String field, String fallback) {
        return form.equals(formId) ? values.getOrDefault(field, fallback) : fallback;
    }

    /** The summary at the top of the page, each message a link to its control; empty when there is nothing to say. */
    String summary() {
        if (problems.isEmpty()) return "";
        StringBuilder b = new StringBuilder("<div class=\"resume-erreurs\" role=\"alert\" tabindex=\"-1\" id=\"resume-erreurs\">")
                .append("<h2>").append(esc(title)).append("</h2><ul>");
        for (Problem p : problems) {
            b.append("<li>");
            if (p.control().isPresent()) b.append("<a href=\"#").append(esc(p.control().get())).append("\">");
            b.append(esc(p.message()));
            if (p.control().isPresent()) b.append("</a>");
            b.append("</li>");
        }
        return b.append("</ul></div>").toString();
    }

    /** The messages beside {@code control}, with the id its field points at; empty when none. */
    String errorText(String control) {
        List<String> mine = problems.stream().filter(p -> p.control().filter(control::equals).isPresent())
                .map(Problem::message).toList();
        if (mine.isEmpty()) return "";
        return "<p class=\"erreur\" id=\"" + esc(control) + "-erreur\"><span class=\"visuellement-cache\">Erreur : </span>"
                + esc(String.join(" ", mine)) + "</p>";
    }

    /** The {@code aria-describedby} (help, then error) and {@code aria-invalid} attributes of {@code control}. */
    String described(String control) {
        boolean invalid = problems.stream().anyMatch(p -> p.control().filter(control::equals).isPresent());
        return " aria-describedby=\"" + esc(control) + "-aide" + (invalid ? " " + esc(control) + "-erreur" : "") + "\""
                + (invalid ? " aria-invalid=\"true\"" : "");
    }
}
