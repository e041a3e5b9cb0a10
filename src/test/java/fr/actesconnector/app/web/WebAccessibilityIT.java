package fr.actesconnector.app.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import fr.actesconnector.journal.JournalEntry;
import fr.actesconnector.journal.Letters;
import fr.actesconnector.journal.TransmissionState;
import fr.actesconnector.simulator.LetterType;

/**
 * The secretariat's page against WCAG 2.1 AA (the RGAA's base) in headless Chromium: axe-core finds no
 * violation on any page, with or without errors shown; the error summary takes the focus and leads to
 * the fields; every control is reached by the keyboard with its focus visible; the refreshed list says
 * what changed and can be paused. The page is a syndicate's (two collectivités), so that the header's choice of
 * the collectivité shows on every page; « Toutes les collectivités » is checked too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebAccessibilityIT {
    /**
     * Every page reached by a GET, signed in. To check a new page, add its path here. {@code {acte}}: an
     * acknowledged acte with the prefecture's letters (one answered); {@code {refuse}}: an acte refused by
     * the prefecture.
     */
    private static final List<String> PAGES = List.of(
            "/suivi",
            "/suivi?etat=ACKNOWLEDGED&du=2020-01-01&au=2099-12-31",
            "/transmettre",
            "/actes/{acte}",
            "/actes/{acte}/annuler",
            "/actes/{refuse}",
            "/actes/{refuse}/corriger",
            "/actes/{refuse}/annuler",            // 409
            "/comptes",
            "/mot-de-passe",
            "/actes/{acte}/publication",          // 405
            "/actes/999999999",                   // 404
            "/collectivite",                      // 405: the header's choice is a POST
            "/nulle-part");                       // 404

    /** Pages reached signed out. */
    private static final List<String> SIGNED_OUT_PAGES = List.of(
            "/connexion",
            "/static/absent.css");                // 404 without the menu

    private WebFixture fx;
    private WebDriver driver;
    private WebDriverWait wait;
    private JournalEntry acte;
    private JournalEntry refused;
    private Letters.Letter pieces;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        driver = HeadlessChromium.start();
        wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        fx = WebFixture.syndicate(dir, Map.of());
        Browser b = new Browser(fx).login();
        acte = settle(transmit(b, "2026-RGA-001", "Délibération accessible"));
        assertEquals(TransmissionState.ACKNOWLEDGED, acte.state(), acte.toString());
        pieces = letter(acte, LetterType.DEMANDE_PIECES_COMPLEMENTAIRES, "Le plan de financement");
        letter(acte, LetterType.LETTRE_OBSERVATIONS, "Illégalité de la délibération");
        Letters.Letter simple = letter(acte, LetterType.COURRIER_SIMPLE, "Une question");
        HttpResponse<String> answered = b.postMultipart("/actes/" + acte.id() + "/courriers/" + simple.id() + "/repondre",
                new Multipart().field("csrf", b.csrf).field("genre", LetterView.kinds(simple).get(0).word())
                        .file("document", "reponse.pdf", "application/pdf", pdf("Reponse")));
        assertEquals(303, answered.statusCode(), answered.body());
        fx.simulator.failNextWithAnomalie("2026_RGA_002", "002", "classification date not up to date");
        refused = settle(transmit(b, "2026-RGA-002", "Marché refusé"));
        assertEquals(TransmissionState.REJECTED, refused.state(), refused.toString());
    }

    @AfterAll
    void stop() {
        if (driver != null) driver.quit();
        if (fx != null) fx.close();
    }

    @BeforeEach
    void signedOut() {
        driver.manage().deleteAllCookies();
    }

    @Test
    void axeFindsNoViolationOnAnyPage() throws Exception {
        List<String> reports = new ArrayList<>();
        for (String path : SIGNED_OUT_PAGES) check(path, reports);
        signIn("secretariat", "pas le bon mot de passe");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".resume-erreurs")));
        check(reports);
        signIn(WebFixture.LOGIN, WebFixture.PASSWORD);
        wait.until(ExpectedConditions.urlContains("/suivi"));
        for (String path : PAGES) check(path, reports);

        // The forms sent back with their errors.
        open("/transmettre");
        submit("#formulaire-acte");
        check(reports);
        open("/actes/" + refused.id() + "/corriger");
        submit("#formulaire-acte");
        check(reports);
        open("/actes/" + acte.id());
        driver.findElement(By.id("publication-date")).sendKeys("31/02/2026");
        submit("#publication form");
        check(reports);
        open("/actes/" + acte.id());
        submit("#" + LetterView.formId(pieces.id()));
        check(reports);
        open("/actes/" + acte.id());
        ((JavascriptExecutor) driver).executeScript("document.querySelector('#publication input[name=csrf]').value = 'x';");
        submit("#publication form");
        assertTrue(driver.getPageSource().contains("jeton de sécurité"), "the 403 page");
        check(reports);

        // Every collectivité at once, chosen in the header: the list with its column, the transmit page asking which.
        open("/suivi");
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("collectivite-choix"))).selectByValue(Sessions.ALL);
        submit("form.collectivite");
        assertTrue(driver.findElement(By.id("collectivite-courante")).getText().equals("Toutes les collectivités"));
        check(reports);
        check("/transmettre", reports);
        open("/comptes");
        submit("#creation form");
        assertTrue(driver.getPageSource().contains("Cochez au moins une collectivité"), "the account's collectivités asked");
        check(reports);
        open("/suivi");
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("collectivite-choix"))).selectByValue("217803105");
        submit("form.collectivite");

        assertTrue(reports.isEmpty(), String.join("\n\n", reports));
    }

    @Test
    void aFormSentBackWithErrorsFocusesItsSummaryWhoseLinksLeadToEachField() {
        signIn(WebFixture.LOGIN, WebFixture.PASSWORD);
        wait.until(ExpectedConditions.urlContains("/suivi"));
        open("/transmettre");
        submit("#formulaire-acte");
        assertTrue(driver.getTitle().startsWith("Erreur : Transmettre un acte"), driver.getTitle());
        assertEquals("resume-erreurs", active().getAttribute("id"), "the summary has the focus");
        List<WebElement> links = driver.findElements(By.cssSelector("#resume-erreurs a[href^='#']"));
        assertTrue(links.size() >= 4, "one link per field in error: " + links.size());
        for (WebElement link : links) {
            String field = link.getAttribute("href").replaceFirst(".*#", "");
            link.click();
            assertEquals(field, active().getAttribute("id"), "the link « " + link.getText() + " » leads to its field");
        }

        open("/actes/" + acte.id());
        // Neither mode chosen: a browser keeps a radio checked, the server still checks it.
        ((JavascriptExecutor) driver).executeScript("document.querySelectorAll('#publication input[type=radio]')"
                + ".forEach(function (r) { r.checked = false; });");
        submit("#publication form");
        assertTrue(driver.getTitle().startsWith("Erreur : "), driver.getTitle());
        assertEquals("resume-erreurs", active().getAttribute("id"));
        driver.findElement(By.cssSelector("#resume-erreurs a[href='#publication-mode']")).click();
        assertEquals("publication-mode-publication", active().getAttribute("id"), "a fieldset: its first control");
    }

    @Test
    void everyControlIsReachedByTheKeyboardWithItsFocusVisible() {
        signIn(WebFixture.LOGIN, WebFixture.PASSWORD);
        wait.until(ExpectedConditions.urlContains("/suivi"));
        for (String path : List.of("/transmettre", "/actes/" + acte.id())) {
            open(path);
            tab();
            assertEquals("Aller au contenu", active().getText(), "the skip link comes first");
            assertTrue(active().getRect().getX() >= 0 && active().isDisplayed(), "and is seen when focused");
            new Actions(driver).sendKeys(Keys.ENTER).perform();
            assertEquals("contenu", active().getAttribute("id"), "it puts the focus on the content");

            List<WebElement> reached = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                tab();
                WebElement e = active();
                if (!reached.isEmpty() && e.equals(reached.get(reached.size() - 1))) continue; // a date's day, month, year
                if (e.getTagName().equals("body") || reached.contains(e)) break;
                reached.add(e);
                String outline = (String) ((JavascriptExecutor) driver).executeScript("var s = getComputedStyle(arguments[0]);"
                        + "return s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor;", e);
                assertTrue(outline.matches("solid [3-9](\\.\\d+)?px rgb.*"), path + ": the focus of " + describe(e)
                        + " is not visible: outline " + outline);
            }
            @SuppressWarnings("unchecked")
            List<WebElement> controls = (List<WebElement>) ((JavascriptExecutor) driver).executeScript(
                    "return Array.from(document.querySelectorAll('main a[href], main button, main input, main select, "
                            + "main textarea')).filter(function (e) { return e.type !== 'hidden' && !e.disabled "
                            + "&& e.getClientRects().length > 0 && (e.type !== 'radio' || e.checked); });");
            List<String> missed = controls.stream().filter(c -> !reached.contains(c)).map(this::describe).toList();
            assertTrue(missed.isEmpty(), path + ": not reached by Tab: " + missed);
        }

        open("/transmettre");
        WebElement add = driver.findElement(By.id("ajouter-annexe"));
        ((JavascriptExecutor) driver).executeScript("arguments[0].focus();", add);
        new Actions(driver).sendKeys(Keys.ENTER).perform();
        assertEquals("annexe_4", active().getAttribute("id"), "a fourth annex, added with the keyboard");
        assertEquals("Annexe 4 (facultative)", driver.findElement(By.cssSelector("label[for=annexe_4]")).getText());
    }

    @Test
    void theRefreshedListSaysWhatChangedKeepsTheFocusAndCanBePaused() throws Exception {
        signIn(WebFixture.LOGIN, WebFixture.PASSWORD);
        wait.until(ExpectedConditions.urlContains("/suivi"));
        WebElement status = driver.findElement(By.cssSelector("#actualisation-etat[role=status]"));
        assertEquals("", status.getText(), "nothing said while nothing changed");
        WebElement link = driver.findElement(By.linkText(acte.idActe().value()));
        ((JavascriptExecutor) driver).executeScript("arguments[0].focus();", link);
        Browser b = new Browser(fx).login();
        long first = transmit(b, "2026-RGA-003", "Acte ajouté pendant la lecture");
        wait.until(ExpectedConditions.textMatches(By.id("actualisation-etat"), Pattern.compile("Tableau actualisé à \\d{2}:\\d{2}\\.")));
        assertTrue(driver.findElement(By.id("actes")).getText().contains("2026-RGA-003"));
        assertEquals("/actes/" + acte.id(), active().getAttribute("href").replaceFirst("^https?://[^/]+", ""),
                "the focus stays on the link it was on");
        Axe.assertAccessible(driver);

        WebElement pause = driver.findElement(By.id("suspendre-actualisation"));
        assertEquals("Suspendre l’actualisation automatique", pause.getText());
        ((JavascriptExecutor) driver).executeScript("arguments[0].focus();", pause);
        new Actions(driver).sendKeys(Keys.ENTER).perform();
        assertEquals("Reprendre l’actualisation automatique", pause.getText());
        transmit(b, "2026-RGA-004", "Acte ajouté pendant la pause");
        Thread.sleep(3 * 2000 + 1000);
        assertFalse(driver.findElement(By.id("actes")).getText().contains("2026-RGA-004"), "paused: the table stays");

        // Paused for the tab: the page of a pending acte does not reload either, until resumed.
        open("/actes/" + first);
        assertTrue(driver.getPageSource().contains("data-recharger"), "a pending acte's page reloads itself");
        WebElement resume = driver.findElement(By.id("suspendre-actualisation"));
        assertEquals("Reprendre l’actualisation automatique", resume.getText());
        ((JavascriptExecutor) driver).executeScript("window.marque = 'avant';");
        Thread.sleep(3 * 2000 + 1000);
        assertEquals("avant", ((JavascriptExecutor) driver).executeScript("return window.marque;"), "not reloaded");
        Axe.assertAccessible(driver);
        resume.click();
        wait.until(ExpectedConditions.stalenessOf(resume));
        assertEquals("Suspendre l’actualisation automatique", driver.findElement(By.id("suspendre-actualisation")).getText());
    }

    @Test
    void at320PixelsWideOnlyDataTablesScrollSideways() throws Exception {
        signIn(WebFixture.LOGIN, WebFixture.PASSWORD);
        wait.until(ExpectedConditions.urlContains("/suivi"));
        Dimension size = driver.manage().window().getSize();
        driver.manage().window().setSize(new Dimension(320, 900));
        try {
            List<String> wide = new ArrayList<>();
            for (String path : PAGES) {
                open(path.replace("{acte}", String.valueOf(acte.id())).replace("{refuse}", String.valueOf(refused.id())));
                Object out = ((JavascriptExecutor) driver).executeScript("""
                        var w = document.documentElement.clientWidth;
                        return Array.from(document.querySelectorAll('body *')).filter(function (e) {
                            return !e.closest('table') && e.getBoundingClientRect().right > w + 1;
                        }).map(function (e) { return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                            + (e.className ? '.' + e.className : '') + ' ' + Math.round(e.getBoundingClientRect().right) + 'px'; })
                            .join(', ');""");
                if (!String.valueOf(out).isEmpty()) wide.add(path + ": " + out);
            }
            assertTrue(wide.isEmpty(), "wider than 320 px (WCAG 1.4.10):\n" + String.join("\n", wide));
        } finally {
            driver.manage().window().setSize(size);
        }
    }

    // ------------------------------------------------------------------ helpers

    private WebElement active() {
        return driver.switchTo().activeElement();
    }

    private void tab() {
        new Actions(driver).sendKeys(Keys.TAB).perform();
    }

    private String describe(WebElement e) {
        return "<" + e.getTagName() + " id=" + e.getAttribute("id") + " name=" + e.getAttribute("name") + "> « " + e.getText() + " »";
    }

    private void check(String path, List<String> reports) {
        open(path.replace("{acte}", String.valueOf(acte.id())).replace("{refuse}", String.valueOf(refused.id())));
        check(reports);
    }

    private void check(List<String> reports) {
        List<Map<String, Object>> violations = Axe.violations(driver);
        if (!violations.isEmpty()) reports.add(Axe.report(driver, violations));
    }

    private void open(String path) {
        driver.get(fx.base() + path.substring(1));
    }

    private void signIn(String login, String password) {
        open("/connexion");
        driver.findElement(By.id("identifiant")).sendKeys(login);
        driver.findElement(By.id("motdepasse")).sendKeys(password);
        submit("form.formulaire");
    }

    /** Sends the form and waits for the next page. */
    private void submit(String form) {
        WebElement button = driver.findElement(By.cssSelector(form + " button[type=submit]"));
        button.click();
        wait.until(ExpectedConditions.stalenessOf(button));
    }

    private byte[] pdf(String title) throws IOException {
        return Files.readAllBytes(fx.pdf("piece-" + System.nanoTime() + ".pdf", title));
    }

    private long transmit(Browser b, String numero, String objet) throws Exception {
        HttpResponse<String> r = b.postMultipart("/transmettre", new Multipart().field("csrf", b.csrf).field("numero", numero)
                .field("date", "2026-04-27").field("nature", "CC").field("classification", "1.4").field("objet", objet)
                .file("document", "decision.pdf", "application/pdf", pdf("Decision")).field("typologie_document", "99_DC"));
        assertEquals(303, r.statusCode(), r.body());
        return Long.parseLong(r.headers().firstValue("Location").orElseThrow().substring("/actes/".length()));
    }

    private JournalEntry settle(long id) {
        JournalEntry e = fx.connector.journal().entries().findById(id).orElseThrow();
        for (int i = 0; i < 10 && e.state().isPending(); i++) {
            fx.connector.poller("test").pollAllNow();
            e = fx.connector.journal().entries().findById(id).orElseThrow();
        }
        return e;
    }

    private Letters.Letter letter(JournalEntry e, LetterType type, String text) {
        long tx = fx.simulator.issueLetter(Long.parseLong(e.transactionId().orElseThrow()), type, text);
        assertEquals(1, fx.connector.fetchPrefectureDocuments());
        return fx.connector.journal().letters().byTransactionId(String.valueOf(tx)).orElseThrow();
    }
}
