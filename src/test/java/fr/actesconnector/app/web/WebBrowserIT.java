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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
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
 * to the TdT simulator, and sees it acknowledged; an administrator creates an account that sends an acte, named
 * in its history. The screenshot is kept under {@code target/web-e2e/}.
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
        fx = new WebFixture(dir, 10L * 1024 * 1024);
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
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        driver.get(fx.base() + "connexion");
        driver.findElement(By.id("identifiant")).sendKeys(WebFixture.LOGIN);
        driver.findElement(By.id("motdepasse")).sendKeys(WebFixture.PASSWORD);
        driver.findElement(By.cssSelector("form.formulaire button[type=submit]")).click();
        wait.until(ExpectedConditions.urlContains("/suivi"));

        driver.findElement(By.linkText("Transmettre un acte")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("formulaire-acte")));
        driver.findElement(By.id("numero")).sendKeys(Houdan.NUMERO);
        setDate(driver.findElement(By.id("date")), "2026-04-27");
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

        wait.until(ExpectedConditions.urlMatches("/actes/\\d+$"));
        assertTrue(driver.findElement(By.cssSelector("main")).getText().contains(Houdan.ID_ACTE),
                "the acte's page shows its IDActe");

        String state = "";
        for (int i = 0; i < 15 && !state.equals(Plain.state(TransmissionState.ACKNOWLEDGED)); i++) {
            fx.connector.poller("test").pollOnce();
            driver.navigate().refresh();
            state = driver.findElement(By.id("etat-acte")).getText();
        }
        assertEquals("Accusé de réception reçu", state);
        String page = driver.findElement(By.cssSelector("main")).getText();
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
        setDate(driver.findElement(By.id("date")), "2026-04-27");
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

    /** Chrome's date control takes keys in the locale's order; the value is set as the form would hold it. */
    private void setDate(WebElement input, String isoDate) {
        ((JavascriptExecutor) driver).executeScript(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'));", input, isoDate);
    }
}
