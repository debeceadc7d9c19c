package io.clink.broker;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.eclipse.paho.mqttv5.client.logging.LoggerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Paho's java.util.logging records end up in clink-broker's logback log, at logback's levels. */
class JavaUtilLoggingBridgeTest {

    private static final String PAHO_CLASS = "org.eclipse.paho.mqttv5.client.internal.ClientComms";

    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private Logger paho;

    @BeforeEach
    void capture() {
        paho = (Logger) org.slf4j.LoggerFactory.getLogger("org.eclipse.paho");
        captured.start();
        paho.addAppender(captured);
    }

    @AfterEach
    void release() {
        paho.detachAppender(captured);
    }

    @Test
    void routeJavaUtilLoggingToSlf4j_pahoWarning_reachesLogback() {
        ClinkBrokerMain.routeJavaUtilLoggingToSlf4j();

        LoggerFactory.getLogger(LoggerFactory.MQTT_CLIENT_MSG_CAT, PAHO_CLASS)
                .warning(PAHO_CLASS, "test", "clink bridge probe");

        assertThat(captured.list).anySatisfy(e -> {
            assertThat(e.getLoggerName()).isEqualTo(PAHO_CLASS);
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).contains("clink bridge probe");
        });
    }

    @Test
    void routeJavaUtilLoggingToSlf4j_pahoBelowLogbackLevel_dropped() {
        ClinkBrokerMain.routeJavaUtilLoggingToSlf4j();

        LoggerFactory.getLogger(LoggerFactory.MQTT_CLIENT_MSG_CAT, PAHO_CLASS)
                .info(PAHO_CLASS, "test", "clink bridge info probe");
        LoggerFactory.getLogger(LoggerFactory.MQTT_CLIENT_MSG_CAT, PAHO_CLASS)
                .warning(PAHO_CLASS, "test", "clink bridge sentinel");

        assertThat(captured.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.contains("clink bridge sentinel"))
                .noneMatch(m -> m.contains("clink bridge info probe"));
        assertThat(java.util.logging.Logger.getLogger("org.eclipse.paho").getLevel())
                .as("logback's WARN for org.eclipse.paho, propagated to java.util.logging")
                .isEqualTo(java.util.logging.Level.WARNING);
    }
}
