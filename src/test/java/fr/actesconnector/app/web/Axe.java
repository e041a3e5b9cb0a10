package fr.actesconnector.app.web;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * axe-core (the test resource {@code /axe-core/axe.min.js}, see its README) run on the page the driver
 * shows, against WCAG 2.1 A and AA, the base of the RGAA. The script goes in through WebDriver, which
 * the page's CSP (no inline script) does not restrict.
 */
final class Axe {
    /** The rules run: WCAG 2.0 and 2.1, levels A and AA, and axe's best practices (landmarks, one h1, skip link…). */
    static final List<String> TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice");
    private static final String SCRIPT = load();

    private Axe() {
    }

    /** Fails with one readable line per violation (rule, impact, help, the elements) when the page has any. */
    static void assertAccessible(WebDriver driver) {
        List<Map<String, Object>> violations = violations(driver);
        if (!violations.isEmpty()) fail(report(driver, violations));
    }

    /** What axe finds on the page: one map per rule violated, as axe reports it. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> violations(WebDriver driver) {
        JavascriptExecutor js = (JavascriptExecutor) driver;
        if (!Boolean.TRUE.equals(js.executeScript("return typeof window.axe === 'object';"))) {
            js.executeScript(SCRIPT);
        }
        Object result = js.executeAsyncScript("""
                var done = arguments[arguments.length - 1];
                axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
                    .then(function (r) { done(JSON.stringify(r.violations)); })
                    .catch(function (e) { done('axe failed: ' + e); });
                """, TAGS);
        String json = String.valueOf(result);
        if (json.startsWith("axe failed")) fail(json + " on " + driver.getCurrentUrl());
        return (List<Map<String, Object>>) new org.openqa.selenium.json.Json().toType(json, List.class);
    }

    @SuppressWarnings("unchecked")
    static String report(WebDriver driver, List<Map<String, Object>> violations) {
        StringBuilder b = new StringBuilder().append(violations.size()).append(" axe violation(s) on ")
                .append(driver.getCurrentUrl()).append(" (« ").append(driver.getTitle()).append(" »):");
        for (Map<String, Object> v : violations) {
            b.append("\n- ").append(v.get("id")).append(" [").append(v.get("impact")).append("] ").append(v.get("help"))
                    .append(" (").append(v.get("helpUrl")).append(")");
            for (Map<String, Object> node : (List<Map<String, Object>>) v.get("nodes")) {
                b.append("\n    ").append(node.get("target")).append(": ")
                        .append(String.valueOf(node.get("failureSummary")).replace("\n", " "));
            }
        }
        return b.toString();
    }

    private static String load() {
        try (InputStream in = Axe.class.getResourceAsStream("/axe-core/axe.min.js")) {
            if (in == null) throw new IllegalStateException("missing test resource /axe-core/axe.min.js");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
