package fr.actesconnector.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator's own administration port: a prefecture letter on request (not part of S²LOW). */
class SimulatorAdminIT {
    @TempDir
    Path dir;

    private static HttpResponse<String> call(HttpClient http, SimulatorAdmin admin, String method, String pathAndQuery)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + pathAndQuery))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void letterIsIssuedOnRequest() throws Exception {
        RawS2low.Pki pki = RawS2low.Pki.create(Files.createDirectories(dir.resolve("pki")));
        HttpClient http = HttpClient.newHttpClient();
        try (TdtSimulator simulator = TdtSimulator.builder().tls(pki.tls()).start();
             SimulatorAdmin admin = SimulatorAdmin.start(simulator, 0);
             RawS2low raw = new RawS2low(simulator.url(), pki)) {
            assertNotEquals(simulator.port(), admin.port());
            long acte = RawS2low.createdId(raw.post(TdtSimulator.CREATE, RawS2low.acte(dir, "ADMIN_1", "99_DC")));
            HttpResponse<String> early = call(http, admin, "POST", "/letters?transaction=" + acte + "&type=4-1");
            assertEquals(409, early.statusCode());
            assertTrue(early.body().contains("pas encore d'accusé de réception"), early.body());
            raw.pollUntil(acte, 4);

            HttpResponse<String> issued = call(http, admin, "POST", "/letters?transaction=" + acte + "&type=4-1&texte=Motif%20simul%C3%A9");
            assertEquals(200, issued.statusCode());
            long letter = Long.parseLong(issued.body().strip());
            assertEquals("4-7-" + letter + "\n", raw.get("/modules/actes/actes_transac_get_document.php?id=" + acte).latin1());

            assertEquals(400, call(http, admin, "POST", "/letters?transaction=" + acte + "&type=1-2").statusCode());
            assertEquals(404, call(http, admin, "POST", "/letters?transaction=999999&type=3-1").statusCode());
            assertEquals(405, call(http, admin, "GET", "/letters?transaction=" + acte + "&type=3-1").statusCode());
            assertEquals(404, call(http, admin, "POST", "/autre").statusCode());
        }
    }

    /** GET /creates counts every create request by number, the refused second post of a number included. */
    @Test
    void createRequestsAreCountedByNumber() throws Exception {
        RawS2low.Pki pki = RawS2low.Pki.create(Files.createDirectories(dir.resolve("pki")));
        HttpClient http = HttpClient.newHttpClient();
        try (TdtSimulator simulator = TdtSimulator.builder().tls(pki.tls()).start();
             SimulatorAdmin admin = SimulatorAdmin.start(simulator, 0);
             RawS2low raw = new RawS2low(simulator.url(), pki)) {
            RawS2low.createdId(raw.post(TdtSimulator.CREATE, RawS2low.acte(dir, "TWICE_1", "99_DC")));
            String again = raw.post(TdtSimulator.CREATE, RawS2low.acte(dir, "TWICE_1", "99_DC")).latin1();
            assertTrue(again.startsWith("KO"), again);
            RawS2low.createdId(raw.post(TdtSimulator.CREATE, RawS2low.acte(dir, "ONCE_1", "99_DC")));

            HttpResponse<String> creates = call(http, admin, "GET", "/creates");
            assertEquals(200, creates.statusCode());
            assertEquals("ONCE_1 1\nTWICE_1 2\n", creates.body());
            assertEquals(java.util.Map.of("ONCE_1", 1, "TWICE_1", 2), simulator.createRequests());
        }
    }
}
