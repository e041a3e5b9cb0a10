package fr.actesconnector.app.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import fr.actesconnector.journal.TransmissionState;
import fr.actesconnector.testing.Houdan;

/**
 * End to end in a real browser: headless Chromium logs in, transmits the Houdan acte through the form
 * to the TdT simulator, and sees it acknowledged (the screenshot is kept under {@code target/web-e2e/});
 * the typologies follow the nature; the list of 300 actes is paged and searched; a sign-in is throttled;
 * an open list expires after the idle time; an administrator creates an account
 * that sends an acte, named in its history.
 */
class WebBrowserIT {
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path SCREENSHOT = Path.of("target", "web-e2e", "houdan-accuse-de-reception.png");

    @TempDir
    Path dir;
    private WebFixture fx;
    private WebDriver driver;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM),
                "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--window-size=1280,1600", "--lang=fr-FR");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    @AfterEach
    void stop() {
        if (driver != null) driver.quit();
        if (fx != null) fx.close();
    }

    @Test
    void houdanActeIsTransmittedFromTheFormAndAcknowledged() throws Exception {
        fx = new WebFixture(dir, 10L * 1024 * 1024);
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        driver.get(fx.base() + "connexion");
        driver.findElement(By.id("identifiant")).sendKeys(WebFixture.LOGIN);
        driver.findElement(By.id("motdepasse")).sendKeys(WebFixture.PASSWORD);
        driver.findElement(By.cssSelector("form.formulaire button[type=submit]")).click();
        wait.until(ExpectedConditions.urlContains("/suivi"));

        driver.findElement(By.linkText("Transmettre un acte")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("formulaire-acte")));
        driver.findElement(By.id("numero")).sendKeys(Houdan.NUMERO);
        driver.findElement(By.id("date")).sendKeys("27/04/2026");
        new Select(driver.findElement(By.id("nature"))).selectByValue("CC");
        Select matiere = new Select(driver.findElement(By.id("classification")));
        matiere.selectByValue("1.4");
        assertTrue(matiere.getFirstSelectedOption().getText().contains("Autres types de contrats"),
                "the matière is chosen by its label");
        driver.findElement(By.id("objet")).sendKeys(Houdan.OBJET_DECISION);
        wait.until(ExpectedConditions.textToBe(By.id("numero-normalise"), "Numéro transmis : 2026_DEC_020"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("objet-translit"), "\u2013 \u2192 -"));
        assertEquals("107 / 499 caractères", driver.findElement(By.id("objet-compteur")).getText());

        Path decision = fx.pdf("Décision 2026-DEC-020.pdf", "Decision 2026-DEC-020");
        Path contrat = fx.pdf("contrat P360.pdf", "Contrat P360-MAHOUDAN-PREMIUM");
        driver.findElement(By.id("document")).sendKeys(decision.toAbsolutePath().toString());
        new Select(driver.findElement(By.id("typologie_document"))).selectByValue("99_DC");
        driver.findElement(By.id("annexe_1")).sendKeys(contrat.toAbsolutePath().toString());
        new Select(driver.findElement(By.id("typologie_annexe_1"))).selectByValue("99_DC");
        driver.findElement(By.cssSelector("#formulaire-acte button[type=submit]")).click();

        wait.until(ExpectedConditions.urlMatches("/actes/\\d+(\\?actualisation=auto)?$"));
        assertTrue(text(By.cssSelector("main")).contains(Houdan.ID_ACTE), "the acte's page shows its IDActe");

        String state = "";
        for (int i = 0; i < 15 && !state.equals(Plain.state(TransmissionState.ACKNOWLEDGED)); i++) {
            fx.connector.poller("test").pollOnce();
            driver.navigate().refresh();
            state = text(By.id("etat-acte"));
        }
        assertEquals("Accusé de réception reçu", state);
        String page = text(By.cssSelector("main"));
        assertTrue(Pattern.compile("Reçu en préfecture le\\s+\\d{2}/\\d{2}/\\d{4}").matcher(page).find(), page);
        assertTrue(page.contains("Accusé de réception (XML)"), page);
        assertTrue(page.contains("Demander l'annulation"), "cancel is offered once acknowledged");

        Files.createDirectories(SCREENSHOT.getParent());
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
        assertTrue(Files.size(SCREENSHOT) > 1000);

        driver.findElement(By.linkText("Suivi des actes")).click();
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(By.xpath(
                "//table[@id='actes']//tr[td/a[text()='" + Houdan.ID_ACTE + "']]")));
        assertTrue(row.getText().contains("Accusé de réception reçu"), row.getText());
        assertTrue(row.getText().contains(Houdan.NUMERO), row.getText());
    }

    @Test
    void anAdministratorCreatesAnAccountThatSendsAnActeAndTheHistoryNamesIt() throws Exception {
        fx = new WebFixture(dir, 10L * 1024 * 1024);
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        signIn(wait, WebFixture.LOGIN, WebFixture.PASSWORD);
        driver.findElement(By.linkText("Comptes")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("creation")));
        driver.findElement(By.id("compte-identifiant")).sendKeys("marie.dupont");
        driver.findElement(By.id("compte-nom")).sendKeys("Marie Dupont");
        assertTrue(driver.findElement(By.id("compte-role-agent")).isSelected(), "a new account is an agent unless chosen");
        driver.findElement(By.id("compte-motdepasse")).sendKeys("girafe bleue sous la pluie");
        driver.findElement(By.id("compte-confirmation")).sendKeys("girafe bleue sous la pluie");
        driver.findElement(By.cssSelector("#creation button[type=submit]")).click();
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("compte-marie.dupont")));
        assertTrue(row.getText().contains("Marie Dupont") && row.getText().contains("agent") && row.getText().contains("actif"),
                row.getText());
        driver.findElement(By.cssSelector("form.deconnexion button")).click();
        wait.until(ExpectedConditions.urlContains("/connexion"));

        signIn(wait, "marie.dupont", "girafe bleue sous la pluie");
        assertTrue(driver.findElements(By.linkText("Comptes")).isEmpty(), "an agent has no accounts' menu");
        driver.findElement(By.linkText("Transmettre un acte")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("formulaire-acte")));
        driver.findElement(By.id("numero")).sendKeys("2026-AGT-010");
        driver.findElement(By.id("date")).sendKeys("27/04/2026");
        new Select(driver.findElement(By.id("nature"))).selectByValue("CC");
        new Select(driver.findElement(By.id("classification"))).selectByValue("1.4");
        driver.findElement(By.id("objet")).sendKeys("Convention d'occupation de la salle des fêtes");
        driver.findElement(By.id("document")).sendKeys(fx.pdf("convention.pdf", "Convention").toAbsolutePath().toString());
        new Select(driver.findElement(By.id("typologie_document"))).selectByValue("99_DC");
        driver.findElement(By.cssSelector("#formulaire-acte button[type=submit]")).click();

        wait.until(ExpectedConditions.urlMatches("/actes/\\d+$"));
        String history = driver.findElement(By.xpath("//h2[text()='Historique']/following-sibling::table[1]")).getText();
        assertTrue(history.contains("enregistré (par marie.dupont)"), history);
        assertTrue(history.contains("envoi au TdT (par marie.dupont)"), history);
    }

    private void signIn(WebDriverWait wait, String login, String password) {
        driver.get(fx.base() + "connexion");
        driver.findElement(By.id("identifiant")).sendKeys(login);
        driver.findElement(By.id("motdepasse")).sendKeys(password);
        driver.findElement(By.cssSelector("form.formulaire button[type=submit]")).click();
        wait.until(ExpectedConditions.urlContains("/suivi"));
    }

    /** Signs in with the form of the page shown, and waits for the page that answers. */
    private void signIn(String password) {
        driver.findElement(By.id("identifiant")).clear();
        driver.findElement(By.id("identifiant")).sendKeys(WebFixture.LOGIN);
        driver.findElement(By.id("motdepasse")).sendKeys(password);
        WebElement button = driver.findElement(By.cssSelector("form.formulaire button[type=submit]"));
        button.click();
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.stalenessOf(button));
    }

    /** The text of an element of a page that may reload itself meanwhile (a pending acte, the list). */
    private String text(By by) {
        return new WebDriverWait(driver, Duration.ofSeconds(20)).ignoring(WebDriverException.class)
                .until(d -> d.findElement(by).getText());
    }

    /** The first cell of each row of the list, read at once (the table refreshes itself). */
    @SuppressWarnings("unchecked")
    private java.util.List<String> numbers() {
        return (java.util.List<String>) ((JavascriptExecutor) driver).executeScript("return Array.from("
                + "document.querySelectorAll('#actes tbody tr td:first-child')).map(function (td) { return td.textContent; });");
    }

    private String value(String selectId) {
        return new Select(driver.findElement(By.id(selectId))).getFirstSelectedOption().getAttribute("value");
    }

    @Test
    void theTypologiesFollowTheNatureUnlessTheSecretaryChoseOne() throws Exception {
        fx = new WebFixture(dir, 10L * 1024 * 1024);
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        driver.get(fx.base() + "transmettre");
        signIn(WebFixture.PASSWORD);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("formulaire-acte")));
        Select nature = new Select(driver.findElement(By.id("nature")));
        assertEquals("— Choisissez —", nature.getFirstSelectedOption().getText(), "no nature chosen in advance");
        assertEquals("", value("typologie_document"));

        nature.selectByValue("CC");
        assertEquals("99_DC", value("typologie_document"), "a contract: 99_DC, not 10_AV, the first of its list");
        assertEquals("99_DC", value("typologie_annexe_1"));
        nature.selectByValue("BF");
        assertEquals("99_BU", value("typologie_document"), "a budget: 99_BU, not 70_DE");
        assertEquals("99_BU", value("typologie_annexe_2"));
        nature.selectByValue("DE");
        assertEquals("99_DE", value("typologie_document"));

        nature.selectByValue("CC");
        new Select(driver.findElement(By.id("typologie_document"))).selectByValue("11_AE");
        new Select(driver.findElement(By.id("typologie_annexe_1"))).selectByValue("99_SE");
        new Select(driver.findElement(By.id("typologie_annexe_3"))).selectByValue("99_SE");
        nature.selectByValue("DE");
        assertEquals("99_DE", value("typologie_document"), "11_AE is not a typology of a délibération");
        assertEquals("99_SE", value("typologie_annexe_1"), "the choice kept: DE allows it");
        assertEquals("99_DE", value("typologie_annexe_2"));
        driver.findElement(By.id("ajouter-annexe")).click();
        assertEquals("99_DE", value("typologie_annexe_4"), "a new annex takes the generic code, not the copied choice");
        nature.selectByValue("CC");
        assertEquals("11_AE", value("typologie_document"), "the secretary's choice comes back with its nature");
        assertEquals("99_DC", value("typologie_annexe_4"));

        nature.selectByValue("");
        driver.findElement(By.id("numero")).sendKeys("2026-SANS-NAT");
        driver.findElement(By.cssSelector("#formulaire-acte button[type=submit]")).click();
        WebElement error = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("nature-erreur")));
        assertTrue(error.getText().contains("Choisissez la nature de l'acte"), error.getText());
    }

    @Test
    void threeHundredActesArePagedAndSearched() throws Exception {
        fx = new WebFixture(dir, 10L * 1024 * 1024);
        fx.registerActes("2026_PAG", 300, "Délibération paginée");
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        driver.get(fx.base() + "suivi");
        signIn(WebFixture.PASSWORD);
        wait.until(ExpectedConditions.urlContains("/suivi"));
        assertEquals("300 actes dans le journal. Affichés par pages de 50.", text(By.id("nombre-actes")));
        java.util.Set<String> seen = new java.util.LinkedHashSet<>();
        int pages = 0;
        while (true) {
            java.util.List<String> rows = numbers();
            assertEquals(50, rows.size(), "page " + (pages + 1));
            seen.addAll(rows);
            pages++;
            java.util.List<WebElement> next = driver.findElements(By.linkText("Page suivante"));
            if (next.isEmpty()) break;
            next.get(0).click();
            wait.until(ExpectedConditions.stalenessOf(next.get(0)));
        }
        assertEquals(6, pages);
        assertEquals(300, seen.size(), "each of the 300 actes once, none cut");
        assertEquals("2026-PAG-300", seen.iterator().next(), "newest first");

        driver.findElement(By.id("numero")).sendKeys("2026-pag-12");
        driver.findElement(By.cssSelector("form.filtres button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBe(By.id("nombre-actes"), "10 actes correspondent à la recherche."));
        driver.findElement(By.id("numero")).clear();
        driver.findElement(By.id("objet")).sendKeys("PAGINEE N° 7");
        driver.findElement(By.cssSelector("form.filtres button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBe(By.id("nombre-actes"), "11 actes correspondent à la recherche."));
        assertEquals("PAGINEE N° 7", driver.findElement(By.id("objet")).getAttribute("value"), "the search stays in its field");
    }

    @Test
    void failedSignInsAreThrottledInFrenchThenTheSignInGoesBackToThePageAsked() throws Exception {
        fr.actesconnector.testing.MutableClock clock = new fr.actesconnector.testing.MutableClock(java.time.Instant.now());
        fx = new WebFixture(dir, 10L * 1024 * 1024, clock, java.util.Optional.empty(), Duration.ofSeconds(30));
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        driver.get(fx.base() + "transmettre");
        for (int i = 1; i <= 3; i++) signIn("pas le bon " + i);
        String page = text(By.cssSelector("main"));
        assertTrue(page.contains("Identifiant ou mot de passe incorrect") && page.contains(
                "Après plusieurs essais sans succès, patientez 1 seconde avant de réessayer."), page);
        signIn(WebFixture.PASSWORD);
        page = text(By.cssSelector("main"));
        assertTrue(page.contains("Connexion refusée pour l'instant."), page);
        clock.advance(Duration.ofSeconds(1));
        signIn(WebFixture.PASSWORD);
        wait.until(ExpectedConditions.urlMatches("/transmettre$"));
        assertTrue(driver.findElement(By.id("formulaire-acte")).isDisplayed(), "back to the page asked for");
    }

    @Test
    void anOpenListExpiresAfterTheIdleTimeAndLeadsToTheSignIn() throws Exception {
        fx = new WebFixture(dir, 10L * 1024 * 1024, java.time.Clock.systemDefaultZone(),
                java.util.Optional.of(Duration.ofSeconds(4)), Duration.ofSeconds(1));
        driver.get(fx.base() + "suivi");
        signIn(WebFixture.PASSWORD);
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.urlMatches("/suivi$"));
        // The list refreshes itself every second; four seconds without the person doing anything end the session.
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.urlContains("/connexion"));
        assertTrue(driver.getCurrentUrl().contains("suite=%2Fsuivi") && driver.getCurrentUrl().contains("expiree=1"),
                driver.getCurrentUrl());
        assertTrue(text(By.cssSelector("main")).contains("Votre session a pris fin"));
        signIn(WebFixture.PASSWORD);
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.urlMatches("/suivi$"));
    }
}
