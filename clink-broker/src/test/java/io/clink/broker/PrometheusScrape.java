package io.clink.broker;

import io.clink.core.LinkMeters;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_35_0.Metrics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One scrape of {@code /api/v5/prometheus/stats}, parsed by Prometheus' own exposition model. Prometheus' Java
 * client writes the text format but has no parser for it, and no maintained Java parser of the text format exists
 * on Maven Central; the endpoint negotiates formats as Prometheus' exporters do, so this asks for the protobuf
 * format, the one Prometheus itself prefers, and reads it with the client's generated {@code MetricFamily} classes.
 * The text rendering is the same registry snapshot through another writer.
 */
record PrometheusScrape(Map<String, Metrics.MetricFamily> families) {

    static final String PROTOBUF =
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";

    static PrometheusScrape fetch(HttpClient http, String apiBase) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(
                HttpRequest.newBuilder(URI.create(apiBase + "/prometheus/stats"))
                        .header("Accept", PROTOBUF)
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException("scrape answered " + r.statusCode());
        }
        Map<String, Metrics.MetricFamily> families = new HashMap<>();
        try (InputStream in = new ByteArrayInputStream(r.body())) {
            Metrics.MetricFamily f;
            while ((f = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
                families.put(f.getName(), f);
            }
        }
        return new PrometheusScrape(families);
    }

    /** The Prometheus name Micrometer gives a {@link LinkMeters} meter. */
    static String prometheusName(LinkMeters.Meter m) {
        String n = m.name().replace('.', '_');
        if (m.baseUnit() != null && !n.endsWith("_" + m.baseUnit())) {
            n += "_" + m.baseUnit();
        }
        return m.type() == LinkMeters.Type.COUNTER ? n + "_total" : n;
    }

    /** The samples of one family whose labels include all of {@code labels}. */
    List<Metrics.Metric> find(String family, Map<String, String> labels) {
        Metrics.MetricFamily f = families.get(family);
        List<Metrics.Metric> out = new ArrayList<>();
        if (f == null) {
            return out;
        }
        for (Metrics.Metric m : f.getMetricList()) {
            Map<String, String> have = new HashMap<>();
            m.getLabelList().forEach(l -> have.put(l.getName(), l.getValue()));
            if (have.entrySet().containsAll(labels.entrySet())) {
                out.add(m);
            }
        }
        return out;
    }

    /** The value of the one sample of {@code family} with {@code labels}, empty if there is none. */
    Optional<Double> value(String family, Map<String, String> labels) {
        List<Metrics.Metric> found = find(family, labels);
        if (found.size() != 1) {
            return Optional.empty();
        }
        Metrics.Metric m = found.get(0);
        return Optional.of(
                m.hasCounter() ? m.getCounter().getValue() : m.getGauge().getValue());
    }

    Metrics.MetricType type(String family) {
        return families.get(family).getType();
    }
}
