package fr.actesconnector.bundle;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;

import fr.actesconnector.model.ActesException;
import fr.actesconnector.model.Reason;

/**
 * A small RFC 3161 client ({@code tsa.url}): posts a {@code application/timestamp-query} for a SHA-256
 * digest with a random nonce, asks for the TSA's certificate in the token, checks the response against
 * the request (imprint, nonce, status) and returns the token's DER. One request per bundle, never retried.
 */
public final class TsaClient implements BundleWriter.TimeStamper {
    private static final int MAX_RESPONSE_BYTES = 1024 * 1024;

    private final URI url;
    private final Duration timeout;
    private final SecureRandom random = new SecureRandom();

    public TsaClient(URI url, Duration timeout) {
        this.url = Objects.requireNonNull(url, "url");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new fr.actesconnector.model.ConfigException("tsa.url doit être une adresse http:// ou https:// "
                    + "(l'autorité d'horodatage RFC 3161).", "tsa.url not http(s): " + url);
        }
    }

    @Override
    public byte[] stamp(byte[] sha256) {
        TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
        generator.setCertReq(true);
        TimeStampRequest request = generator.generate(TSPAlgorithms.SHA256, sha256, new BigInteger(64, random));
        Timeout t = Timeout.of(timeout);
        try (CloseableHttpClient http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(t).setSocketTimeout(t).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(t).build())
                .disableAutomaticRetries()
                .setUserAgent("actes-connector")
                .build()) {
            HttpPost post = new HttpPost(url);
            post.setEntity(new ByteArrayEntity(request.getEncoded(), ContentType.create("application/timestamp-query")));
            byte[] body = http.execute(post, response -> {
                if (response.getCode() != 200) {
                    throw new IOException("HTTP " + response.getCode());
                }
                return EntityUtils.toByteArray(response.getEntity(), MAX_RESPONSE_BYTES);
            });
            TimeStampResponse response = new TimeStampResponse(body);
            response.validate(request);
            if (response.getTimeStampToken() == null) {
                throw new TSPException("no token: status " + response.getStatus() + " " + response.getStatusString());
            }
            return response.getTimeStampToken().getEncoded();
        } catch (IOException | TSPException e) {
            throw new ActesException(Reason.UNAVAILABLE, "L'autorité d'horodatage « " + url + " » (tsa.url) n'a pas donné de "
                    + "jeton valide (" + e.getMessage() + ") : réessayez plus tard, ou retirez tsa.url pour exporter sans "
                    + "horodatage.", "TSA " + url + " failed: " + e, e);
        }
    }
}
