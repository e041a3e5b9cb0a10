package fr.actesconnector.app.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.actesconnector.testing.MutableClock;

/**
 * Sign-in and sessions over HTTP, the page's clock moved by hand: failed sign-ins delayed then locked (in
 * French, logged at WARN without the password), the sign-in form's token that a flood cannot expire, the
 * way back to the page asked for (never to another site), and the idle timeout that the list's own
 * refresh does not hold off. A fresh server per test: the throttle's counts are per address, all loopback here.
 */
class WebSignInIT {
    private static final String CSRF_MESSAGE = "jeton de sécurité absent ou incorrect";

    @TempDir
    Path dir;
    private WebFixture fx;
    private MutableClock clock;

    @BeforeEach
    void start() throws Exception {
        clock = new MutableClock(Instant.now());
        fx = new WebFixture(dir, 200_000, clock, Optional.empty(), Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() {
        if (fx != null) fx.close();
    }

    private static HttpResponse<String> signIn(Browser b, String password) throws Exception {
        return b.postForm("/connexion", Map.of("csrf", b.csrf, "identifiant", WebFixture.LOGIN, "motdepasse", password));
    }

    private static long retryAfter(HttpResponse<String> r) {
        return Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
    }

    @Test
    void failedSignInsAreDelayedThenTheAccountIsLockedInFrenchAndLoggedWithoutThePassword() throws Exception {
        Browser b = new Browser(fx);
        b.get("/connexion");
        PrintStream err = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        HttpResponse<String> third;
        try {
            signIn(b, "mauvais-1");
            signIn(b, "mauvais-2");
            third = signIn(b, "mauvais-3");
        } finally {
            System.setErr(err);
        }
        String logged = log.toString(StandardCharsets.UTF_8);
        assertTrue(logged.contains("WARN SignInPage - web: failed sign-in for account 'secretariat' from 127.0.0.1 (3 failures"),
                logged);
        assertFalse(logged.contains("mauvais-"), "never the password");
        assertEquals(401, third.statusCode());
        assertTrue(third.body().contains("Identifiant ou mot de passe incorrect") && third.body().contains(
                "Après plusieurs essais sans succès, patientez 1 seconde avant de réessayer."), third.body());

        HttpResponse<String> tooSoon = signIn(b, WebFixture.PASSWORD);
        assertEquals(429, tooSoon.statusCode(), "even the right password waits: it is not checked");
        assertTrue(tooSoon.body().contains("Connexion refusée pour l&#39;instant. Après plusieurs essais sans succès, "
                + "patientez 1 seconde"), tooSoon.body());
        assertEquals(1, retryAfter(tooSoon));
        assertEquals(303, b.get("/suivi").statusCode(), "no session");

        // 4th to 9th failures: 2, 4, 8, 16, 30, 30 seconds.
        long[] waits = {2, 4, 8, 16, 30, 30};
        for (int i = 0; i < waits.length; i++) {
            clock.advance(Duration.ofSeconds(i == 0 ? 1 : waits[i - 1]));
            HttpResponse<String> r = signIn(b, "mauvais-" + (i + 4));
            assertEquals(401, r.statusCode(), r.body());
            assertTrue(r.body().contains("patientez " + waits[i] + " secondes"), r.body());
        }
        clock.advance(Duration.ofSeconds(30));
        HttpResponse<String> locking = signIn(b, "mauvais-10");
        assertTrue(locking.body().contains("Trop d&#39;essais sans succès pour ce compte : il est bloqué pendant 15 minutes, "
                + "jusqu&#39;à "), locking.body());
        clock.advance(Duration.ofMinutes(14));
        HttpResponse<String> locked = signIn(b, WebFixture.PASSWORD);
        assertEquals(429, locked.statusCode());
        assertTrue(locked.body().contains("il est bloqué pendant 1 minute"), locked.body());
        clock.advance(Duration.ofMinutes(1));
        HttpResponse<String> in = signIn(b, WebFixture.PASSWORD);
        assertEquals(303, in.statusCode(), in.body());
        assertEquals(200, b.get("/suivi").statusCode());
    }

    @Test
    void oneAddressTryingManyAccountsIsHeldBackForEveryAccount() throws Exception {
        Browser b = new Browser(fx);
        b.get("/connexion");
        for (int i = 1; i <= 9; i++) {
            HttpResponse<String> r = b.postForm("/connexion", Map.of("csrf", b.csrf, "identifiant", "compte" + i,
                    "motdepasse", "x"));
            assertFalse(r.body().contains("patientez"), "failure " + i + " is free: " + r.body());
        }
        HttpResponse<String> tenth = b.postForm("/connexion", Map.of("csrf", b.csrf, "identifiant", "compte10",
                "motdepasse", "x"));
        assertTrue(tenth.body().contains("patientez 1 seconde"), tenth.body());
        HttpResponse<String> real = signIn(b, WebFixture.PASSWORD);
        assertEquals(429, real.statusCode(), "the address waits, whatever the account");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(303, signIn(b, WebFixture.PASSWORD).statusCode());
    }

    @Test
    void theSignInFormSurvivesAFloodOfAnonymousRequests() throws Exception {
        Browser mine = new Browser(fx);
        mine.get("/connexion");
        HttpClient anonymous = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        AtomicInteger ok = new AtomicInteger();
        int flood = 10_500;
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                all.add(pool.submit(() -> {
                    for (int i = 0; i < flood / 6; i++) {
                        HttpResponse<Void> r = anonymous.send(HttpRequest.newBuilder(URI.create(fx.base() + "connexion")).GET()
                                .build(), HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() == 200) ok.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) f.get();
        } finally {
            pool.shutdownNow();
        }
        assertEquals(flood, ok.get());
        HttpResponse<String> r = signIn(mine, WebFixture.PASSWORD);
        assertEquals(303, r.statusCode(), "the form opened before the flood still signs in: " + r.body());
    }

    @Test
    void theSignInIsRefusedWithoutItsTokenOrWithAnotherBrowsersToken() throws Exception {
        Browser mine = new Browser(fx);
        mine.get("/connexion");
        Browser other = new Browser(fx);
        other.get("/connexion");
        HttpResponse<String> none = mine.postForm("/connexion", Map.of("identifiant", WebFixture.LOGIN,
                "motdepasse", WebFixture.PASSWORD));
        assertEquals(403, none.statusCode());
        assertTrue(none.body().contains(CSRF_MESSAGE), none.body());
        HttpResponse<String> foreign = mine.postForm("/connexion", Map.of("csrf", other.csrf, "identifiant", WebFixture.LOGIN,
                "motdepasse", WebFixture.PASSWORD));
        assertEquals(403, foreign.statusCode(), "a token signed here, but for another browser's cookie");
        HttpResponse<String> forged = mine.postForm("/connexion", Map.of("csrf", mine.csrf.substring(0, mine.csrf.lastIndexOf('.'))
                + ".AAAA", "identifiant", WebFixture.LOGIN, "motdepasse", WebFixture.PASSWORD));
        assertEquals(403, forged.statusCode(), "a token not signed here");
        assertEquals(303, mine.get("/suivi").statusCode(), "nothing changed: no session");
        clock.advance(Sessions.MAX_LIFETIME.plusMinutes(1));
        assertEquals(403, signIn(mine, WebFixture.PASSWORD).statusCode(), "an expired form");
        mine.get("/connexion");
        assertEquals(303, signIn(mine, WebFixture.PASSWORD).statusCode(), "the form reloaded");
    }

    @Test
    void afterSignInTheBrowserGoesBackToThePageAskedForAndOnlyToThisSite() throws Exception {
        Browser b = new Browser(fx);
        HttpResponse<String> asked = b.get("/transmettre?x=1");
        assertEquals(303, asked.statusCode());
        String location = asked.headers().firstValue("Location").orElseThrow();
        assertEquals("/connexion?suite=%2Ftransmettre%3Fx%3D1", location);
        HttpResponse<String> form = b.get(location);
        assertTrue(form.body().contains("name=\"suite\" value=\"/transmettre?x=1\""), form.body());
        HttpResponse<String> in = b.postForm("/connexion", Map.of("csrf", b.csrf, "identifiant", WebFixture.LOGIN,
                "motdepasse", WebFixture.PASSWORD, "suite", "/transmettre?x=1"));
        assertEquals("/transmettre?x=1", in.headers().firstValue("Location").orElseThrow());

        for (String elsewhere : List.of("//evil.example/x", "https://evil.example/", "/\\evil.example", "/\t/evil.example",
                "javascript:alert(1)", "/connexion?suite=/x")) {
            Browser other = new Browser(fx);
            assertTrue(other.get("/connexion?suite=" + Browser.enc(elsewhere)).body().contains("name=\"suite\" value=\"/suivi\""),
                    elsewhere);
            HttpResponse<String> r = other.postForm("/connexion", Map.of("csrf", other.csrf, "identifiant", WebFixture.LOGIN,
                    "motdepasse", WebFixture.PASSWORD, "suite", elsewhere));
            assertEquals("/suivi", r.headers().firstValue("Location").orElseThrow(), elsewhere);
        }
    }

    @Test
    void theListRefreshingItselfDoesNotKeepTheSessionAlive() throws Exception {
        Browser b = new Browser(fx).login();
        clock.advance(Duration.ofMinutes(20));
        assertEquals(200, b.get("/suivi/lignes").statusCode());
        assertEquals(200, b.get("/suivi?" + WebServer.AUTO_RELOAD).statusCode(), "a page reloading itself");
        clock.advance(Duration.ofMinutes(11));
        HttpResponse<String> refresh = b.get("/suivi/lignes");
        assertEquals(401, refresh.statusCode(), "31 minutes without the person doing anything");
        HttpResponse<String> page = b.get("/suivi?etat=POSTED");
        assertEquals("/connexion?suite=%2Fsuivi%3Fetat%3DPOSTED&expiree=1", page.headers().firstValue("Location").orElseThrow());
        assertTrue(b.get("/connexion?suite=%2Fsuivi%3Fetat%3DPOSTED&expiree=1").body().contains(
                "Votre session a pris fin (au bout de 30 minutes sans activité"));

        Browser active = new Browser(fx).login();
        clock.advance(Duration.ofMinutes(20));
        assertEquals(200, active.get("/suivi").statusCode(), "the person opens the list");
        clock.advance(Duration.ofMinutes(20));
        assertEquals(200, active.get("/suivi/lignes").statusCode(), "20 minutes after the person's last action");
    }
}
