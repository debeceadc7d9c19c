package io.clink.broker.internal;

import io.clink.broker.BrokerConfig;
import io.clink.broker.LinkTlsListener;
import org.jspecify.annotations.Nullable;

/**
 * HiveMQ CE's {@code config.xml} for one clink-broker: the MQTT listener {@code default}, the link listeners, the
 * packet and in-flight limits clink needs, the per-client queue ({@code mqtt.max_mqueue_len}, {@code
 * mqtt.mqueue_overflow}), in-memory persistence, usage statistics off.
 *
 * <p>Why a template and not HiveMQ's configuration API: the embedded HiveMQ reads its listeners only from this file.
 * Every value written comes from a validated {@link BrokerConfig}; host names and paths are XML-escaped. Pure
 * functions; thread-safe.
 */
public final class HiveMqConfigXml {

    private HiveMqConfigXml() {}

    /**
     * The document.
     *
     * @param c the broker's configuration
     * @param stores the TLS link listener's key stores, or null when it has none
     * @param limits the listener names and the packet size every listener gets (the Receive Maximum granted to every
     *     client is {@code mqtt.max_inflight})
     * @return the XML text
     */
    public static String render(BrokerConfig c, KeyStores.@Nullable Written stores, Limits limits) {
        StringBuilder listeners = new StringBuilder();
        listeners.append(tcpListener(c.mqtt(), "default"));
        if (c.link() != null) {
            listeners.append(tcpListener(c.link(), limits.linkListener()));
        }
        LinkTlsListener tls = c.linkTls();
        if (tls != null && stores != null) {
            listeners.append(tlsListener(tls, stores, limits.linkTlsListener()));
        }
        return """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                %s  </listeners>
                  <mqtt>
                    <queued-messages><max-queue-size>%d</max-queue-size><strategy>%s</strategy></queued-messages>
                    <packets><max-packet-size>%d</max-packet-size></packets>
                    <receive-maximum><server-receive-maximum>%d</server-receive-maximum></receive-maximum>
                  </mqtt>
                  <persistence><mode>in-memory</mode></persistence>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(
                        listeners,
                        c.session().maxMqueueLen(),
                        c.session().overflow() == BrokerConfig.Overflow.DROP_OLDEST ? "discard-oldest" : "discard",
                        limits.maxPacketSize(),
                        c.session().maxInflight());
    }

    /**
     * What the template needs beyond the configuration: listener names and limits, owned by the broker's public API.
     *
     * @param linkListener the plain TCP link listener's name
     * @param linkTlsListener the TLS link listener's name
     * @param maxPacketSize the largest MQTT packet read on any listener
     */
    public record Limits(String linkListener, String linkTlsListener, int maxPacketSize) {}

    private static String tcpListener(BrokerConfig.Bind bind, String name) {
        return "    <tcp-listener><port>%d</port><bind-address>%s</bind-address><name>%s</name></tcp-listener>\n"
                .formatted(bind.port(), xml(bind.host()), name);
    }

    /** HiveMQ CE's {@code <tls-tcp-listener>} (config.xsd: keystore, optional truststore, protocols, client auth). */
    private static String tlsListener(LinkTlsListener tls, KeyStores.Written stores, String name) {
        StringBuilder t = new StringBuilder();
        t.append("    <tls-tcp-listener><port>")
                .append(tls.bind().port())
                .append("</port><bind-address>")
                .append(xml(tls.bind().host()))
                .append("</bind-address><name>")
                .append(name)
                .append("</name>\n      <tls>\n");
        t.append("        <keystore><path>")
                .append(xml(stores.keystore().toString()))
                .append("</path><password>")
                .append(stores.password())
                .append("</password><private-key-password>")
                .append(stores.password())
                .append("</private-key-password></keystore>\n");
        if (stores.truststore() != null) {
            t.append("        <truststore><path>")
                    .append(xml(stores.truststore().toString()))
                    .append("</path><password>")
                    .append(stores.password())
                    .append("</password></truststore>\n");
        }
        if (!tls.versions().isEmpty()) {
            t.append("        <protocols>");
            tls.versions().forEach(v -> t.append("<protocol>").append(v).append("</protocol>"));
            t.append("</protocols>\n");
        }
        t.append("        <client-authentication-mode>")
                .append(tls.clientAuthentication().name())
                .append("</client-authentication-mode>\n      </tls>\n    </tls-tcp-listener>\n");
        return t.toString();
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
