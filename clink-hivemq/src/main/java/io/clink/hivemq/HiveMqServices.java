package io.clink.hivemq;

import com.codahale.metrics.MetricRegistry;
import com.hivemq.extension.sdk.api.events.EventRegistry;
import com.hivemq.extension.sdk.api.services.ManagedExtensionExecutorService;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.auth.SecurityRegistry;
import com.hivemq.extension.sdk.api.services.interceptor.GlobalInterceptorRegistry;
import com.hivemq.extension.sdk.api.services.intializer.InitializerRegistry;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import com.hivemq.extension.sdk.api.services.subscription.SubscriptionStore;
import java.util.Objects;

/**
 * The HiveMQ services one broker instance gave its extension. HiveMQ's static {@code Services} accessors point at the
 * most recently started broker of the JVM, so an extension captures them once, inside its own {@code
 * extensionStart}, and uses only the captured references afterwards.
 *
 * @param publishService delivers messages, not intercepted again
 * @param subscriptionStore lists subscriptions
 * @param clientService disconnects clients
 * @param initializerRegistry installs per-connection interceptors
 * @param eventRegistry installs the client lifecycle listener
 * @param executor HiveMQ's managed extension executor
 * @param securityRegistry installs authenticators
 * @param interceptorRegistry installs the CONNECT interceptor that learns a connection's user name before any of its
 *     publishes
 * @param metricRegistry HiveMQ's metrics, where its dropped-message counter is read
 * @since 0.1.0
 */
public record HiveMqServices(
        PublishService publishService,
        SubscriptionStore subscriptionStore,
        ClientService clientService,
        InitializerRegistry initializerRegistry,
        EventRegistry eventRegistry,
        ManagedExtensionExecutorService executor,
        SecurityRegistry securityRegistry,
        GlobalInterceptorRegistry interceptorRegistry,
        MetricRegistry metricRegistry) {

    /**
     * Checks that no service is null.
     *
     * @throws NullPointerException naming the missing service
     */
    public HiveMqServices {
        Objects.requireNonNull(publishService, "publishService");
        Objects.requireNonNull(subscriptionStore, "subscriptionStore");
        Objects.requireNonNull(clientService, "clientService");
        Objects.requireNonNull(initializerRegistry, "initializerRegistry");
        Objects.requireNonNull(eventRegistry, "eventRegistry");
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(securityRegistry, "securityRegistry");
        Objects.requireNonNull(interceptorRegistry, "interceptorRegistry");
        Objects.requireNonNull(metricRegistry, "metricRegistry");
    }

    /**
     * Captures the services of the broker that is starting this extension. Call it only inside {@code
     * ExtensionMain.extensionStart}.
     *
     * @return the captured services
     * @since 0.1.0
     */
    public static HiveMqServices capture() {
        return new HiveMqServices(
                Services.publishService(),
                Services.subscriptionStore(),
                Services.clientService(),
                Services.initializerRegistry(),
                Services.eventRegistry(),
                Services.extensionExecutorService(),
                Services.securityRegistry(),
                Services.interceptorRegistry(),
                Services.metricRegistry());
    }
}
