package io.stillwater.camera;

import io.stillwater.config.StillwaterProperties;
import io.stillwater.embedded.CameraSimulator;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The HTTP clients the camera routes use, one per camera so each has its own timeouts (bound in Camel's
 * registry as {@code camera-http-client-<id>}), and the camera simulator when it runs in the service.
 */
@Configuration(proxyBeanMethods = false)
public class CameraConfiguration {

    /** The registry name of a camera's HTTP client configurer. */
    public static final String CLIENT_PREFIX = "camera-http-client-";

    @Bean
    CamelContextConfiguration cameraHttpClients(StillwaterProperties properties) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                for (StillwaterProperties.Cameras.Camera camera : properties.cameras().registry()) {
                    camel.getRegistry().bind(CLIENT_PREFIX + camera.id(), HttpClientConfigurer.class, client(camera));
                }
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {}
        };
    }

    /**
     * A camera's client: its timeout for connecting and for every read, no automatic retries (the capture
     * route counts and spaces them), no redirects, no cookies. The address is the operator's
     * configuration, never a user's, so it needs no guard against internal addresses.
     */
    static HttpClientConfigurer client(StillwaterProperties.Cameras.Camera camera) {
        Timeout timeout = Timeout.of(camera.timeout());
        return builder -> builder
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(timeout)
                                .setSocketTimeout(timeout)
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(timeout)
                        .setConnectionRequestTimeout(timeout).build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableContentCompression()
                .disableCookieManagement();
    }

    /** The simulator, started with the service unless disabled (the {@code prod} profile disables it). */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "stillwater.cameras.simulator.enabled", havingValue = "true")
    CameraSimulator cameraSimulator(StillwaterProperties properties) throws Exception {
        StillwaterProperties.Cameras.Simulator simulator = properties.cameras().simulator();
        return CameraSimulator.start(new CameraSimulator.Settings(simulator.host(), simulator.port(),
                simulator.cameras(), simulator.width(), simulator.height(), simulator.latency(),
                simulator.failureRate(), simulator.offlineWindows().stream()
                        .map(window -> new CameraSimulator.OfflineWindow(window.camera(), window.every(), window.length()))
                        .toList()));
    }
}
