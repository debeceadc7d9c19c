package io.clink.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/** A plain JDK HTTP client for the management API tests: no clink code between the test and the server. */
final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final @Nullable String credentials;

    /** @param base for example {@code http://127.0.0.1:18083/api/v5} */
    ApiClient(String base) {
        this(base, null);
    }

    /**
     * @param base for example {@code http://127.0.0.1:18083/api/v5}
     * @param credentials {@code key:secret} sent with HTTP Basic, or null for none
     */
    ApiClient(String base, @Nullable String credentials) {
        this.base = base;
        this.credentials = credentials;
    }

    /** The same server with other credentials. */
    ApiClient as(@Nullable String otherCredentials) {
        return new ApiClient(base, otherCredentials);
    }

    HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        return send(method, path, null);
    }

    /** Sends {@code body} (JSON text) if not null. */
    HttpResponse<String> send(String method, String path, @Nullable String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(20))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (credentials != null) {
            b.header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path);
    }

    /** GETs a path that must answer 200 with JSON, and parses the body. */
    JsonNode json(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = get(path);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    HttpClient http() {
        return http;
    }

    String base() {
        return base;
    }
}
