package io.stillwater;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Stillwater: HTTP intake, Artemis queues and transform workers, wired by Camel routes in {@code routes/}. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class StillwaterApplication {

    public static void main(String[] args) {
        SpringApplication.run(StillwaterApplication.class, args);
    }
}
